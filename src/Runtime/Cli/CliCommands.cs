using System.CommandLine;

namespace Sharpflow.Cli;

/// <summary>The table of a flow's commands: one line per command, each built in its own file.</summary>
internal static class CliCommands
{
    public static RootCommand Build(Type flowType, CliOutput output, IReadOnlyList<string>? taskCommand)
    {
        var datastore = DatastoreOption();
        var scope = FlowScope.Of(flowType);
        var root = new RootCommand($"Sharpflow flow '{flowType.Name}': run it, inspect its graph, and read its runs.")
        {
            datastore,
            RunCommand.Build(flowType, datastore, output, taskCommand),
            ResumeCommand.Build(flowType, datastore, output, taskCommand),
            SpinCommand.Build(flowType, datastore, output),
            ShowCommand.Build(flowType, datastore, output),
            CheckCommand.Build(flowType, output),
            PackageCommand.Build(flowType, datastore, output),
            StepCommand.Build(flowType, datastore, output),
        };
        foreach (var command in DatastoreReaders(scope, datastore, output))
        {
            root.Subcommands.Add(command);
        }
        var context = new Extensibility.AddOnCommandContext(flowType, datastore, output.Out, output.Error, taskCommand);
        foreach (var build in Extensibility.AddOns.Commands)
        {
            root.Subcommands.Add(build(context));
        }
        foreach (var command in DeployedTaskCommand.Build(flowType, datastore, output))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>The commands that read runs from the datastore: the same in a flow's command line and in the <c>sharpflow</c> tool.</summary>
    public static IEnumerable<Command> DatastoreReaders(FlowScope scope, Option<string?> datastore, CliOutput output) =>
    [
        RunsCommand.Build(scope, datastore, output),
        LogsCommand.Build(scope, datastore, output),
        DumpCommand.Build(scope, datastore, output),
        TagCommand.Build(scope, datastore, output),
        CardCommand.Build(scope, datastore, output),
    ];

    /// <summary>The shared <c>--datastore</c> option (every subcommand takes it).</summary>
    public static Option<string?> DatastoreOption() => new("--datastore")
    {
        Description = "Datastore root: a folder or s3://bucket/prefix (default: $SHARPFLOW_DATASTORE_ROOT, else .sharpflow/ in the working directory).",
        Recursive = true,
    };

    /// <summary>Serializes command output for <c>--json</c>.</summary>
    public static string ToJson(object value) => System.Text.Json.JsonSerializer.Serialize(value, Metadata.MetadataJson.Flexible);

    /// <summary>Serializes command output for <c>--json</c> through its compile-time contract (commands the native tool runs).</summary>
    public static string ToJson<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> contract) => System.Text.Json.JsonSerializer.Serialize(value, contract);

    /// <summary>The shared <c>--json</c> flag.</summary>
    public static Option<bool> JsonOption(string what) => new("--json") { Description = $"Print {what} as JSON (for tools)." };
}
