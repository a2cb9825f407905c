using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
        var ns = FlowScope.NamespaceOption();
        var command = new Command("dump", "Print the artifacts of a step's tasks.") { pathspec, artifact, maxChars, json, ns };
        command.SetAction(parse =>
        {
            try
            {
                var tasks = TaskPathspec.Resolve(scope, parse.GetValue(datastore), parse.GetValue(pathspec)!, parse.GetValue(ns));
                var only = parse.GetValue(artifact);
                if (only is not null && tasks.All(t => t.Artifacts.All(a => a.Name != only)))
                {
                    var names = tasks.SelectMany(t => t.Artifacts.Select(a => a.Name)).Distinct().Order(StringComparer.Ordinal).ToArray();
                    throw new ArgumentException($"'{parse.GetValue(pathspec)}' has no artifact '{only}'. Its artifacts: {(names.Length == 0 ? "none" : string.Join(", ", names))}.");
                }
                var limit = parse.GetValue(maxChars);
                var dumped = tasks.Select(t => new TaskDump(t.Pathspec, t.Status.ToString(), t.Reused ? t.Origin : null, t.Exception,
                    t.Artifacts.Where(a => only is null || a.Name == only).OrderBy(a => a.Name, StringComparer.Ordinal)
                        .Select(a => new ArtifactDump(a.Name, a.TypeName, a.Size, ValueText(a, parse.GetValue(json) ? 0 : limit)))
                        .ToArray())).ToArray();
                if (parse.GetValue(json))
                {
                    output.Out.WriteLine(JsonSerializer.Serialize(dumped, (JsonTypeInfo<TaskDump[]>)ValueJson.GetTypeInfo(typeof(TaskDump[]))));
                    return 0;
                }
                foreach (var task in dumped)
                {
                    output.Out.WriteLine($"{task.Task} ({task.Status}{(task.ReusedFrom is { } origin ? $", reused {origin}" : "")})");
                    if (task.Exception is { } failure && task.Status != nameof(Metadata.RunStatus.Succeeded))
                    {
                        output.Out.WriteLine("    " + LogsCommand.Describe(failure).Replace("\n", "\n    ", StringComparison.Ordinal));
                        output.Out.WriteLine($"    (full trace: logs {task.Task.Split('/', 2)[1]} --stderr)");
                    }
                    foreach (var a in task.Artifacts)
                    {
                        output.Out.WriteLine($"    {a.Name} : {Artifacts.TypeNames.Friendly(a.Type)} ({a.Size} bytes) = {a.Value}");
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
        var text = value switch
        {
            string s => s,
            null => "null",
            // A shape this process has no JSON contract for (a native host meeting an exception artifact): its text.
            _ => ValueJson.TryGetTypeInfo(value.GetType(), out var contract) ? JsonSerializer.Serialize(value, contract) : value.ToString() ?? "",
        };
        return limit > 0 && text.Length > limit ? text[..limit] + $"... ({text.Length} chars)" : text;
    }

    /// <summary>One task as <c>dump --json</c> prints it.</summary>
    internal sealed record TaskDump(
        [property: JsonPropertyName("task")] string Task,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("reusedFrom"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReusedFrom,
        [property: JsonPropertyName("exception")] Metadata.ExceptionRecord? Exception,
        [property: JsonPropertyName("artifacts")] ArtifactDump[] Artifacts);

    /// <summary>One artifact of a <see cref="TaskDump"/>: its value as text (JSON for anything but a string).</summary>
    internal sealed record ArtifactDump(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("value")] string Value);
}
