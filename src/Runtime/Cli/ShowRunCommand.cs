using System.CommandLine;
using System.Globalization;
using Sharpflow.Client;

namespace Sharpflow.Cli;

/// <summary><c>show Flow/run</c> (the <c>sharpflow</c> tool): one run at a glance: status, timing, parameters, tags and each step's tasks.</summary>
internal static class ShowRunCommand
{
    public static Command Build(FlowScope scope, Option<string?> datastore, CliOutput output)
    {
        var pathspec = new Argument<string>("run") { Description = $"The run: {scope.RunShape} ('latest' for the newest)." };
        var json = CliCommands.JsonOption("the run");
        var command = new Command("show", "Show a run: its status, timing, parameters, tags and the tasks of each step.") { pathspec, json };
        command.SetAction(parse => CliErrors.Guard(output, () =>
        {
            var (flow, parts) = scope.Open(parse.GetValue(datastore), parse.GetValue(pathspec)!, "latest", "");
            var run = FlowScope.RunOf(flow, parts[0]);
            var steps = run.Steps.Select(s => new
            {
                step = s.Name,
                tasks = s.Tasks.Count,
                statuses = s.Tasks.GroupBy(t => t.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            }).ToArray();
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(new
                {
                    run = run.Pathspec, status = run.Status, startedAt = run.CreatedAt, finishedAt = run.FinishedAt, user = run.User,
                    parameters = run.Parameters, systemTags = run.SystemTags, userTags = run.UserTags, error = run.Error, steps,
                }));
                return 0;
            }
            var duration = run.FinishedAt is { } end ? $" in {(end - run.CreatedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "";
            output.Out.WriteLine($"{run.Pathspec}: {run.Status}{duration}, started {run.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC by {run.User}");
            if (run.Parameters.Count > 0)
            {
                output.Out.WriteLine("    parameters: " + string.Join(", ", run.Parameters.Select(p => $"{p.Key}={p.Value}")));
            }
            output.Out.WriteLine($"    tags:       {string.Join(", ", run.UserTags.Concat(run.SystemTags))}");
            if (run.Error is { } error)
            {
                output.Out.WriteLine($"    error:      {error}");
            }
            foreach (var step in steps)
            {
                output.Out.WriteLine($"    {step.step,-20} {step.tasks,6} task{(step.tasks == 1 ? " " : "s")}  {string.Join(", ", step.statuses.Select(s => $"{s.Value} {s.Key}"))}");
            }
            return 0;
        }));
        return command;
    }
}
