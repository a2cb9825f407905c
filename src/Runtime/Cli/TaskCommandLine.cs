namespace Sharpflow.Cli;

/// <summary>How to start this flow's command line again in a child process: the current process's command up to the flow's own arguments.</summary>
internal static class TaskCommandLine
{
    /// <summary>
    /// The command that ran this process, minus <paramref name="flowArguments"/> (what FlowMain received): e.g.
    /// <c>dotnet app.dll</c> or <c>dotnet tool.dll SomeFlow</c> when the program passed on only part of its arguments.
    /// </summary>
    public static IReadOnlyList<string>? ForCurrentProcess(IReadOnlyList<string> flowArguments)
    {
        var all = Environment.GetCommandLineArgs();
        var process = Environment.ProcessPath;
        if (process is null || all.Length < flowArguments.Count || !all.TakeLast(flowArguments.Count).SequenceEqual(flowArguments))
        {
            return null;
        }
        var prefix = all[..^flowArguments.Count];
        var host = Path.GetFileNameWithoutExtension(process);
        return host == "dotnet" ? [process, .. prefix] : [process, .. prefix.Skip(1)];
    }
}
