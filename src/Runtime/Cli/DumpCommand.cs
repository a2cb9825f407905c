using System.CommandLine;
using System.Text.Json;
using Sharpflow.Client;

namespace Sharpflow.Cli;

/// <summary><c>dump</c>: prints the artifacts of a step's tasks (name, type, size and value).</summary>
internal static class DumpCommand
{
    private static JsonSerializerOptions ValueJson => Artifacts.DataJson.Options;

    public static Command Build(FlowScope scope, Option<string?> datastore, CliOutput output)
    {
        var pathspec = TaskPathspec.Argument(scope);
        var artifact = new Option<string?>("--artifact") { Description = "Dump only this artifact." };
        var maxChars = new Option<int>("--max-value-chars") { Description = "Truncate each value's text to this many characters (0 = no limit).", DefaultValueFactory = _ => 300 };
        var json = CliCommands.JsonOption("the artifacts");
        var command = new Command("dump", "Print the artifacts of a step's tasks.") { pathspec, artifact, maxChars, json };
        command.SetAction(parse =>
        {
            try
            {
                var tasks = TaskPathspec.Resolve(scope, parse.GetValue(datastore), parse.GetValue(pathspec)!);
                var only = parse.GetValue(artifact);
                if (only is not null && tasks.All(t => t.Artifacts.All(a => a.Name != only)))
                {
                    var names = tasks.SelectMany(t => t.Artifacts.Select(a => a.Name)).Distinct().Order(StringComparer.Ordinal).ToArray();
                    throw new ArgumentException($"'{parse.GetValue(pathspec)}' has no artifact '{only}'. Its artifacts: {(names.Length == 0 ? "none" : string.Join(", ", names))}.");
                }
                var limit = parse.GetValue(maxChars);
                var dumped = tasks.Select(t => new
                {
                    task = t.Pathspec,
                    status = t.Status.ToString(),
                    exception = t.Exception,
                    artifacts = t.Artifacts.Where(a => only is null || a.Name == only).OrderBy(a => a.Name, StringComparer.Ordinal)
                        .Select(a => new { name = a.Name, type = a.TypeName, size = a.Size, value = ValueText(a, parse.GetValue(json) ? 0 : limit) })
                        .ToArray(),
                }).ToArray();
                if (parse.GetValue(json))
                {
                    output.Out.WriteLine(JsonSerializer.Serialize(dumped, ValueJson));
                    return 0;
                }
                foreach (var task in dumped)
                {
                    output.Out.WriteLine($"{task.task} ({task.status})");
                    if (task.exception is { } failure && task.status != nameof(Metadata.RunStatus.Succeeded))
                    {
                        output.Out.WriteLine("    " + LogsCommand.Describe(failure).Replace("\n", "\n    ", StringComparison.Ordinal));
                        output.Out.WriteLine($"    (full trace: logs {task.task.Split('/', 2)[1]} --stderr)");
                    }
                    foreach (var a in task.artifacts)
                    {
                        output.Out.WriteLine($"    {a.name} : {Artifacts.TypeNames.Friendly(a.type)} ({a.size} bytes) = {a.value}");
                    }
                }
                return 0;
            }
            catch (Exception e) when (CliErrors.IsUserError(e))
            {
                output.Error.WriteLine(e.Message);
                return CliErrors.Refused;
            }
        });
        return command;
    }

    internal static string ValueText(DataArtifact artifact, int limit)
    {
        var value = artifact.Value;
        var text = value is string s ? s : JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), ValueJson);
        return limit > 0 && text.Length > limit ? text[..limit] + $"... ({text.Length} chars)" : text;
    }
}
