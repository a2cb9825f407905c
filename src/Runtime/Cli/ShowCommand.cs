using System.CommandLine;
using System.Text.Json;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Graph;

namespace Sharpflow.Cli;

/// <summary>
/// <c>show</c>: the flow's steps, transitions and parameters, as text or JSON; <c>show --changed</c>: which steps' code
/// differs from what the flow's newest runs ran (the steps <c>run --reuse</c> runs again).
/// </summary>
internal static class ShowCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var json = CliCommands.JsonOption("the graph");
        var changed = new Option<bool>("--changed") { Description = "For each step: is its code (with the helpers it calls) what an earlier run in your namespace ran?" };
        var command = new Command("show", $"Show the steps and parameters of flow '{flowType.Name}'.") { json, changed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(changed))
            {
                var changes = await StepChanges.CompareAsync(flowType, DatastoreLocation.Open(parse.GetValue(datastore)), null, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    output.Out.WriteLine(CliCommands.ToJson(new { flow = flowType.Name, steps = changes.Select(c => new { name = c.Step, status = c.Status, run = c.RunId }) }));
                    return 0;
                }
                var width = changes.Max(c => c.Step.Length);
                foreach (var change in changes)
                {
                    output.Out.WriteLine($"{change.Step.PadRight(width)}  " + change.Status switch
                    {
                        "unchanged" => $"unchanged since run {change.RunId}",
                        "changed" => $"changed since run {change.RunId}: run --reuse runs it again",
                        _ => "never run",
                    });
                }
                return 0;
            }
            var graph = FlowGraphExtractor.Extract(flowType);
            var parameters = FlowParameter.Of(flowType);
            var defaults = Activator.CreateInstance(flowType)!;
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(new
                {
                    flow = graph.FlowName,
                    parameters = parameters.Select(p => new { name = p.Name, property = p.PropertyName, type = p.Type.Name, help = p.Help, required = p.Required, @default = p.DefaultJson(defaults) }),
                    steps = graph.InRunOrder.Select(s => new
                    {
                        name = s.Name,
                        description = StepDocumentation.Of(graph.FlowType, s.Method),
                        kind = s.Kind.ToString().ToLowerInvariant(),
                        next = s.OutSteps,
                        forEach = s.Transition?.ForeachVariable,
                        @switch = s.Transition?.SwitchCondition,
                        cases = s.Transition?.SwitchCases?.ToDictionary(c => c.Value, c => c.Step),
                    }),
                }));
                return 0;
            }
            output.Out.Write(GraphTextRenderer.Render(graph));
            var configs = Config.FlowConfig.Of(flowType);
            if (configs.Count > 0)
            {
                output.Out.WriteLine();
                output.Out.WriteLine("Configs");
                foreach (var config in configs)
                {
                    output.Out.WriteLine($"    {config.Name} ({config.Type.Name}, default {config.Attribute.Default ?? "none"}){(config.Attribute.Help is { } help ? $": {help}" : "")}");
                }
                try
                {
                    foreach (var (name, record) in Config.ConfigResolver.Resolve(flowType))
                    {
                        output.Out.WriteLine($"    {name} = {record.Json}");
                    }
                }
                catch (Exception e) when (e is Config.ConfigException or ArgumentException)
                {
                    output.Out.WriteLine($"    (defaults do not resolve: {e.Message})");
                }
            }
            if (parameters.Count > 0)
            {
                output.Out.WriteLine();
                output.Out.WriteLine("Parameters");
                foreach (var p in parameters)
                {
                    output.Out.WriteLine($"    --{p.Name} ({p.Type.Name}, {(p.Required ? "required" : $"default {p.DefaultJson(defaults)}")}){(p.Help is { } help ? $": {help}" : "")}");
                }
            }
            return 0;
        });
        return command;
    }
}
