return await Sharpflow.SharpflowTool.RunAsync(args);
