using System.CommandLine;
using System.Text.Json;
using Sharpflow.Graph;

namespace Sharpflow.Cli;

/// <summary><c>show</c>: the flow's steps, transitions and parameters, as text or JSON.</summary>
internal static class ShowCommand
{
    public static Command Build(Type flowType, CliOutput output)
    {
        var json = CliCommands.JsonOption("the graph");
        var command = new Command("show", $"Show the steps and parameters of flow '{flowType.Name}'.") { json };
        command.SetAction(parse =>
        {
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
                        description = StepDocumentation.Of(s.Method),
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
