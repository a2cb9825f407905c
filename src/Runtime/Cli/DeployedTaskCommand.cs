using System.CommandLine;
using Sharpflow.Execution;

namespace Sharpflow.Cli;

/// <summary>
/// <c>task</c> and <c>finish</c> (internal): what the pods of a deployed flow run. <c>task</c> runs one task of a run an
/// orchestrator schedules (see <see cref="DeployedTaskHost"/>); <c>finish</c> records how the run ended and runs its exit hooks.
/// </summary>
internal static class DeployedTaskCommand
{
    public static IEnumerable<Command> Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var runId = new Option<string>("--run-id") { Description = "The run's id (argo-<workflow name>).", Required = true };
        var step = new Option<string>("--step") { Description = "The step to run.", Required = true };
        var inputPaths = new Option<string>("--input-paths") { Description = "The parents' step/task paths: comma-separated or a JSON array.", DefaultValueFactory = _ => "" };
        var splitIndex = new Option<string>("--split-index") { Description = "The foreach index when the parent is a foreach split.", DefaultValueFactory = _ => "-1" };
        var iteration = new Option<string>("--iteration") { Description = "How many times a loop entered the step before.", DefaultValueFactory = _ => "0" };
        var attempt = new Option<string>("--attempt") { Description = "The attempt number (Argo's retries).", DefaultValueFactory = _ => "0" };
        var outputs = new Option<string?>("--outputs") { Description = "A folder to write the outputs the orchestrator routes on (task-path, split-indices, switch-step)." };
        var user = new Option<string?>("--user") { Description = "Start step: who deployed the flow." };
        var ns = new Option<string?>("--namespace") { Description = "Start step: the run's namespace." };
        var runtime = new Option<string>("--runtime") { Description = "Start step: the runtime tag.", DefaultValueFactory = _ => "argo-workflows" };
        var systemTags = new Option<string[]>("--system-tag") { Description = "Start step: a system tag of the run (repeatable)." };
        var parameters = new Option<string[]>("--param") { Description = "Start step: a parameter value, name=value (repeatable)." };
        var configs = new Option<string?>("--configs") { Description = "Start step: the configs resolved at deploy time, as JSON." };
        var task = new Command("task", "Run one task of a deployed run (used by the pods of a deployed flow).")
        {
            runId, step, inputPaths, splitIndex, iteration, attempt, outputs, user, ns, runtime, systemTags, parameters, configs,
        };
        task.Hidden = true;
        task.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, () =>
        {
            var description = new DeployedTask(
                parse.GetValue(runId)!, parse.GetValue(step)!, parse.GetValue(inputPaths) ?? "",
                DeployedTaskHost.ParseInt(parse.GetValue(splitIndex)!, "--split-index"), DeployedTaskHost.ParseInt(parse.GetValue(iteration)!, "--iteration"),
                DeployedTaskHost.ParseInt(parse.GetValue(attempt)!, "--attempt"), parse.GetValue(outputs))
            {
                User = parse.GetValue(user) ?? UserIdentity.Current(),
                Namespace = parse.GetValue(ns),
                Runtime = parse.GetValue(runtime)!,
                SystemTags = parse.GetValue(systemTags) ?? [],
                Parameters = DeployedTaskHost.ParseParameters(parse.GetValue(parameters) ?? [], flowType.Name),
                ConfigsJson = parse.GetValue(configs),
            };
            return DeployedTaskHost.RunAsync(flowType, description, parse.GetValue(datastore), output.Out, cancellationToken);
        }));

        var finishRunId = new Option<string>("--run-id") { Description = "The run's id.", Required = true };
        var status = new Option<string>("--status") { Description = "How the orchestrator says the run ended (Succeeded, Failed, Error).", Required = true };
        var finish = new Command("finish", "Record how a deployed run ended and run its exit hooks (the exit handler of a deployed flow).") { finishRunId, status };
        finish.Hidden = true;
        finish.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(output, () =>
            DeployedTaskHost.FinishAsync(flowType, parse.GetValue(finishRunId)!, parse.GetValue(status)!, parse.GetValue(datastore), output.Out, cancellationToken)));
        return [task, finish];
    }
}
