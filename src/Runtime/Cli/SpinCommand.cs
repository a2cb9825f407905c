using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sharpflow.Execution;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary><c>spin STEP</c>: runs exactly one step with the inputs it had in a past run and prints what it produced.</summary>
internal static class SpinCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var step = new Argument<string>("step") { Description = "The step to run." };
        var runId = new Option<string?>("--run-id") { Description = "The run whose inputs to use (default: the latest run in your namespace)." };
        var taskPath = new Option<string?>("--task-path") { Description = "Which task of the step to re-create: its task id, or run-id/step/task-id (default: the first failed task, else the first)." };
        var overrides = new Option<FileInfo?>("--artifacts")
        {
            Description = "A JSON file of artifact values that replace the step's inputs: one object, each artifact's name to its value as JSON, "
                + "e.g. {\"Threshold\": 0.5, \"Labels\": [\"a\", \"b\"], \"Best\": {\"Name\": \"x\", \"Score\": 1}}.",
        };
        var artifact = new Option<string[]>("--artifact")
        {
            Description = "One artifact value that replaces a step input: NAME=JSON, e.g. --artifact Threshold=0.5 --artifact 'Name=\"Ada\"' (repeatable; wins over --artifacts).",
        };
        var noPersist = new Option<bool>("--no-persist") { Description = "Keep the spun task in memory only (default: record it as a new run tagged runtime:spin)." };
        var persist = new Option<bool>("--persist") { Description = "Record the spun task as a new run (the default)." };
        var json = CliCommands.JsonOption("the spun task's artifacts");
        var command = new Command("spin", $"Run one step of flow '{flowType.Name}' with the inputs it had in a past run; parameters (--name value) and artifacts may be changed.")
        {
            step, runId, taskPath, overrides, artifact, noPersist, persist, json,
        };
        var parameters = new ParameterOptions(flowType, command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var (run, task) = SplitTaskPath(parse.GetValue(taskPath), parse.GetValue(runId));
                var options = new SpinOptions
                {
                    Step = parse.GetValue(step)!,
                    RunId = run,
                    TaskId = task,
                    Overrides = Overrides(parse.GetValue(overrides), parse.GetValue(artifact) ?? []),
                    Parameters = parameters.Values(parse),
                    Persist = !parse.GetValue(noPersist),
                };
                var clock = Stopwatch.StartNew();
                await using var runner = new Runner(flowType, new RunnerOptions { DatastoreRoot = parse.GetValue(datastore) });
                var spun = await runner.SpinAsync(options, cancellationToken).ConfigureAwait(false);
                clock.Stop();
                var spunTask = spun.Steps.Single().Task;
                if (parse.GetValue(json))
                {
                    output.Out.WriteLine(CliCommands.ToJson(new
                    {
                        runId = spun.Id,
                        originRunId = spun.Record.OriginRunId,
                        persisted = options.Persist,
                        status = spun.Status.ToString(),
                        error = spun.Error,
                        artifacts = spunTask.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).ToDictionary(a => a.Name, a => JsonDocument.Parse(JsonSerializer.Serialize(a.Value, a.Value?.GetType() ?? typeof(object), Artifacts.DataJson.Options)).RootElement),
                    }));
                }
                else
                {
                    output.Out.WriteLine($"Spun step {spunTask.Step.Name} {(spun.Successful ? "successfully" : "unsuccessfully")} in {clock.ElapsedMilliseconds} ms"
                        + $" from run {spun.Record.OriginRunId ?? "(direct inputs)"}{(options.Persist ? $"; recorded as run {spun.Id}" : " (not persisted)")}.");
                    output.Out.Write(spunTask.Stdout);
                    if (spun.Error is { } error)
                    {
                        output.Error.WriteLine(error);
                    }
                    foreach (var artifact in spunTask.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal))
                    {
                        output.Out.WriteLine($"    {artifact.Name} = {DumpCommand.ValueText(artifact, 300)}");
                    }
                }
                return spun.Status == RunStatus.Succeeded ? 0 : 1;
            }
            catch (Exception e) when (CliErrors.IsUserError(e))
            {
                output.Error.WriteLine(e.Message);
                return CliErrors.Refused;
            }
        });
        return command;
    }

    private static (string? Run, string? Task) SplitTaskPath(string? taskPath, string? runId)
    {
        if (taskPath is null || !taskPath.Contains('/', StringComparison.Ordinal))
        {
            return (runId, taskPath);
        }
        var parts = taskPath.Split('/');
        return parts.Length == 3 ? (parts[0], parts[2]) : throw new ArgumentException($"--task-path '{taskPath}' is not a task id or run-id/step/task-id.");
    }

    /// <summary>The artifact values of an <c>--artifacts</c> file, then each <c>--artifact NAME=JSON</c> over them; null for none.</summary>
    private static Dictionary<string, object?>? Overrides(FileInfo? file, string[] inline)
    {
        if (file is null && inline.Length == 0)
        {
            return null;
        }
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (file is not null)
        {
            using var document = Parse(File.ReadAllText(file.FullName), $"--artifacts {file.Name}");
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"--artifacts {file.Name}: expected a JSON object of artifact names to values, e.g. {{\"Threshold\": 0.5}}.");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
        }
        foreach (var pair in inline)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"--artifact {pair}: expected NAME=JSON, e.g. Threshold=0.5 or 'Name=\"Ada\"'.");
            }
            using var document = Parse(pair[(at + 1)..], $"--artifact {pair}");
            values[pair[..at]] = document.RootElement.Clone();
        }
        return values;
    }

    private static JsonDocument Parse(string json, string where)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{where}: the value is not JSON ({e.Message}). A string is written in quotes: 'Name=\"Ada\"'.", e);
        }
    }
}
