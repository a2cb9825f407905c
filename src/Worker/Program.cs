using System.Reflection;
using System.Runtime.Loader;
using Sharpflow;

// The Sharpflow worker, two ways:
//   Sharpflow.Worker --package <datastore root> <flow> <hash> <entry arguments...>
//       fetches the flow's code package from the datastore, verifies it, and runs it (a container's entry point);
//       `--spec-key KEY` among the arguments is the task spec, fetched from the datastore too.
//   Sharpflow.Worker <flow assembly> <flow type> <flow arguments...>
//       hosts a flow that is not an application of its own (compiled from notebook cells) and runs its command line.
if (args is ["--package", var root, var flowName, var hash, .. var entryArguments])
{
    return await Sharpflow.Packaging.PackageRunner.RunAsync(root, flowName, hash, entryArguments);
}
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Sharpflow.Worker <flow assembly> <flow type> <flow arguments...>");
    return 2;
}
// A relative flow assembly is in the worker's own folder (the package's application folder).
var assemblyPath = Path.IsPathRooted(args[0]) ? args[0] : Path.Combine(AppContext.BaseDirectory, args[0]);
var folder = Path.GetDirectoryName(assemblyPath)!;
// The flow's dependencies (its NuGet packages) sit in the same folder.
AssemblyLoadContext.Default.Resolving += (context, name) =>
    Path.Combine(folder, name.Name + ".dll") is var candidate && File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
var flowType = assembly.GetType(args[1]) ?? assembly.GetTypes().FirstOrDefault(t => t.Name == args[1] && typeof(FlowSpec).IsAssignableFrom(t));
if (flowType is null)
{
    Console.Error.WriteLine($"No flow '{args[1]}' in {assemblyPath}.");
    return 2;
}
return await FlowMain.RunAsync(flowType, args[2..]);
