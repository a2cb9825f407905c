using System.Reflection;
using System.Runtime.Loader;
using Sharpflow;

// The worker of code packages whose flow is not an application of its own (a flow compiled from notebook cells):
// loads the flow's assembly from the package and runs the flow's command line, e.g. its hidden `step` command.
//   Sharpflow.Worker <flow assembly> <flow type> <flow arguments...>
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
