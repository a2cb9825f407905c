using System.Text.Json;
using Sharpflow.Artifacts;
using Sharpflow.Config;
using Sharpflow.Graph;

namespace Sharpflow.Execution;

/// <summary>
/// Sets a run's parameters and configs on a task's flow instance (fresh copies from their stored JSON) and checks after
/// the step that it changed none of them: they are read-only and identical in every task.
/// </summary>
internal static class RunInputBinder
{
    /// <summary>Sets the inputs (an included file's content read from the datastore); returns their JSON as set, for <see cref="CheckUnchanged"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ApplyAsync(RunContext run, FlowSpec instance)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in FlowParameter.Of(run.FlowType))
        {
            if (parameter.IncludesFile)
            {
                if (run.Parameters.TryGetValue(parameter.PropertyName, out var stored) && IncludedFiles.RecordOf(stored) is { } file)
                {
                    parameter.Property!.SetValue(instance, await IncludedFiles.LoadAsync(run.FlowName, parameter, file, run.Artifacts.Blobs, run.Cancellation).ConfigureAwait(false));
                    applied[parameter.PropertyName] = file.Hash!; // checked by content hash: no JSON of a whole file, twice per task
                }
            }
            else if (run.Parameters.TryGetValue(parameter.PropertyName, out var json))
            {
                parameter.Property!.SetValue(instance, parameter.FromJson(json));
                applied[parameter.PropertyName] = json;
            }
        }
        foreach (var config in FlowConfig.Of(run.FlowType))
        {
            if (run.Configs.TryGetValue(config.Name, out var record))
            {
                var value = ConfigResolver.Materialize(config, run.FlowName, record);
                config.Property.SetValue(instance, value);
                applied[config.Property.Name] = Snapshot(value);
            }
        }
        return applied;
    }

    public static void CheckUnchanged(RunContext run, StepNode step, FlowSpec instance, IReadOnlyDictionary<string, string> applied)
    {
        foreach (var parameter in FlowParameter.Of(run.FlowType))
        {
            if (applied.TryGetValue(parameter.PropertyName, out var json)
                && (parameter.IncludesFile ? IncludedFiles.HashOf(parameter.Property!.GetValue(instance)) : parameter.ToJson(parameter.Property!.GetValue(instance))) != json)
            {
                throw new InvalidOperationException(
                    $"Flow '{run.FlowName}', step '{step.Name}': parameter '{parameter.PropertyName}' was changed by the step. Parameters are read-only; copy the value into an artifact to change it.");
            }
        }
        foreach (var config in FlowConfig.Of(run.FlowType))
        {
            if (applied.TryGetValue(config.Property.Name, out var json) && Snapshot(config.Property.GetValue(instance)) != json)
            {
                throw new InvalidOperationException(
                    $"Flow '{run.FlowName}', step '{step.Name}': config '{config.Name}' was changed by the step. Configs are read-only; copy the value into an artifact to change it.");
            }
        }
    }

    private static string Snapshot(object? value) => value is ConfigValue tree ? tree.ToJson() : JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), DataJson.Options);
}
