using System.CommandLine;

namespace Sharpflow.Cli;

/// <summary>The table of a flow's commands: one line per command, each built in its own file.</summary>
internal static class CliCommands
{
    /// <summary>
    /// The flow's command line. When <paramref name="args"/> start with one of the core commands (<c>run</c>, <c>step</c>,
    /// <c>show</c>, ...) only that command is built: a run or a worker task does not build, nor discover add-ons for, the
    /// other dozen. Anything else (help, an add-on's command, a typo) gets the whole table, suggestions included.
    /// A core command that reads or writes run records starts preparing their serializer on the second core first; help,
    /// <c>show</c>, <c>check</c> and <c>package</c> read none and skip that CPU.
    /// </summary>
    public static RootCommand Build(Type flowType, CliOutput output, IReadOnlyList<string>? taskCommand, IReadOnlyList<string> args)
    {
        var datastore = DatastoreOption();
        var scope = FlowScope.Of(flowType);
        var root = new RootCommand($"Sharpflow flow '{flowType.Name}': run it, inspect its graph, and read its runs.") { datastore };
        IEnumerable<(string Name, bool ReadsRecords, Func<Command> Build)> core =
        [
            ("run", true, () => RunCommand.Build(flowType, datastore, output, taskCommand)),
            ("resume", true, () => ResumeCommand.Build(flowType, datastore, output, taskCommand)),
            ("spin", true, () => SpinCommand.Build(flowType, datastore, output)),
            ("show", false, () => ShowCommand.Build(flowType, datastore, output)),
            ("check", false, () => CheckCommand.Build(flowType, output)),
            ("package", false, () => PackageCommand.Build(flowType, datastore, output)),
            ("step", true, () => StepCommand.Build(flowType, datastore, output)),
            .. DatastoreReaderTable(scope, datastore, output).Select(c => (c.Name, true, c.Build)),
        ];
        if (args is [var first, ..] && core.FirstOrDefault(c => c.Name == first) is { Build: { } only } selected)
        {
            if (selected.ReadsRecords)
            {
                Metadata.MetadataJson.PrepareRunRecords(); // on the second core while the command is built and parsed
            }
            root.Subcommands.Add(only());
            return root;
        }
        foreach (var (_, _, build) in core)
        {
            root.Subcommands.Add(build());
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
        DatastoreReaderTable(scope, datastore, output).Select(c => c.Build());

    private static IEnumerable<(string Name, Func<Command> Build)> DatastoreReaderTable(FlowScope scope, Option<string?> datastore, CliOutput output) =>
    [
        ("runs", () => RunsCommand.Build(scope, datastore, output)),
        ("logs", () => LogsCommand.Build(scope, datastore, output)),
        ("dump", () => DumpCommand.Build(scope, datastore, output)),
        ("tag", () => TagCommand.Build(scope, datastore, output)),
        ("card", () => CardCommand.Build(scope, datastore, output)),
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
