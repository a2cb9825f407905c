// The tool is published natively (AOT) too, where no add-on is found beside it: it registers the one it is built with.
Sharpflow.Extensibility.AddOns.Register(new Sharpflow.S3.S3AddOn());
return await Sharpflow.SharpflowTool.RunAsync(args);
