using System.CommandLine;
using System.Text.Json;
using Sharpflow.Graph;

namespace Sharpflow.Cli;

/// <summary><c>check</c>: validates the graph against every rule; exit code 1 when there are errors.</summary>
internal static class CheckCommand
{
    public static Command Build(Type flowType, CliOutput output)
    {
        var json = CliCommands.JsonOption("the diagnostics");
        var command = new Command("check", $"Check flow '{flowType.Name}' against the graph rules.") { json };
        command.SetAction(parse =>
        {
            var graph = FlowGraphExtractor.Extract(flowType);
            var diagnostics = GraphValidator.Validate(graph);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(diagnostics.Select(d => new
                {
                    id = d.Rule.Id,
                    rule = d.Rule.Name,
                    severity = d.Rule.Severity.ToString().ToLowerInvariant(),
                    flow = d.Flow,
                    step = d.Step,
                    message = d.Message,
                })));
            }
            else if (diagnostics.Count == 0)
            {
                output.Out.WriteLine($"Flow '{graph.FlowName}' is valid: {graph.Steps.Count} steps.");
            }
            else
            {
                foreach (var diagnostic in diagnostics)
                {
                    (diagnostic.IsError ? output.Error : output.Out).WriteLine(diagnostic);
                }
            }
            return diagnostics.Any(d => d.IsError) ? 1 : 0;
        });
        return command;
    }
}
