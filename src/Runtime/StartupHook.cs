using System.Reflection;
using Sharpflow.Graph;

/// <summary>
/// The .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>) through which a NativeAOT publish has the flow program, run once
/// more on the JIT, write its flow manifest (<see cref="FlowManifest"/>) before its own Main runs. Does nothing unless
/// <c>SHARPFLOW_WRITE_FLOW_MANIFEST</c> names the file to write; the process then ends without running the program.
/// </summary>
internal static class StartupHook
{
    /// <summary>Called by the runtime before the program's Main.</summary>
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(FlowManifest.WriteVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        try
        {
            var program = Assembly.GetEntryAssembly()
                ?? throw new InvalidOperationException("the process has no entry assembly (a flow program's build output is expected)");
            FlowManifest.Write(program, path);
        }
        catch (Exception e)
        {
            // The publish shows this line as its error (MSBuild's format), then the whole exception for a report.
            Console.WriteLine($"{path}: error SF0202: Sharpflow could not write the flow manifest: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine(e);
            Environment.Exit(1);
        }
        Console.WriteLine($"Sharpflow: wrote the flow manifest {path}");
        Environment.Exit(0);
    }
}
