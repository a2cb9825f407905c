using System.CommandLine;
using System.Text.Json;
using Sharpflow.Events;
using Sharpflow.Execution;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary><c>run</c>: validates the flow, runs it in this process with live progress, and exits non-zero if it fails.</summary>
internal static class RunCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var command = new Command("run", $"Run flow '{flowType.Name}' in this process.");
        var maxWorkers = new Option<int>("--max-workers") { Description = "How many tasks run at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxNumSplits = new Option<int>("--max-num-splits") { Description = "The most tasks one foreach may start.", DefaultValueFactory = _ => 100 };
        var maxLoops = new Option<int>("--max-loop-iterations") { Description = "How often a switch loop may re-enter a step.", DefaultValueFactory = _ => 1000 };
        var tags = new Option<string[]>("--tag") { Description = "A tag for the run (repeatable).", AllowMultipleArgumentsPerToken = false };
        var runIdFile = new Option<string?>("--run-id-file") { Description = "Write the run id to this file as soon as the run starts." };
        var json = CliCommands.JsonOption("the run's outcome");
        var quiet = new Option<bool>("--quiet") { Description = "Print only progress and the outcome, not every task and log line." };
        command.Options.Add(maxWorkers);
        command.Options.Add(maxNumSplits);
        command.Options.Add(maxLoops);
        command.Options.Add(tags);
        command.Options.Add(runIdFile);
        command.Options.Add(json);
        command.Options.Add(quiet);

        var defaults = Activator.CreateInstance(flowType);
        var parameterOptions = new List<(FlowParameter Parameter, Option Option)>();
        foreach (var parameter in FlowParameter.Of(flowType))
        {
            var description = $"{parameter.Help ?? parameter.PropertyName} ({(parameter.Required ? "required" : $"default: {parameter.ToJson(parameter.Property.GetValue(defaults))}")}).";
            Option option = parameter.Type == typeof(bool)
                ? new Option<bool>("--" + parameter.Name) { Description = description }
                : new Option<string>("--" + parameter.Name) { Description = description };
            command.Options.Add(option);
            parameterOptions.Add((parameter, option));
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (parameter, option) in parameterOptions)
            {
                if (parse.GetResult(option) is { } result)
                {
                    values[parameter.PropertyName] = result.GetValueOrDefault<object?>();
                }
            }
            var human = parse.GetValue(json) ? output.Error : output.Out;
            using var progress = new ConsoleProgress(human, parse.GetValue(quiet), parse.GetValue(runIdFile));
            var options = new RunnerOptions
            {
                DatastoreRoot = parse.GetValue(datastore),
                MaxWorkers = parse.GetValue(maxWorkers),
                MaxNumSplits = parse.GetValue(maxNumSplits),
                MaxLoopIterations = parse.GetValue(maxLoops),
                Tags = parse.GetValue(tags) ?? [],
                OnEvent = progress.Handle,
            };
            try
            {
                await using var runner = new Runner(flowType, options);
                var run = await runner.RunAsync(values, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    output.Out.WriteLine(CliCommands.ToJson(new
                    {
                        flow = run.FlowName,
                        runId = run.Id,
                        status = run.Status.ToString(),
                        error = run.Error,
                        datastore = runner.Store.Location,
                    }));
                }
                return run.Status == RunStatus.Succeeded ? 0 : 1;
            }
            catch (Exception e) when (e is FlowDefinitionException or ArgumentException)
            {
                output.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }
}
