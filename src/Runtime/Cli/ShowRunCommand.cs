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
        var ns = FlowScope.NamespaceOption();
        var command = new Command("show", "Show a run: its status, timing, parameters, tags and the tasks of each step.") { pathspec, json, ns };
        command.SetAction(parse => CliErrors.Guard(output, () =>
        {
            var (flow, parts) = scope.Open(parse.GetValue(datastore), parse.GetValue(pathspec)!, "latest", "");
            var run = FlowScope.RunOf(flow, parts[0], parse.GetValue(ns));
            var steps = run.Steps.Select(s => new StepView(s.Name, s.Tasks.Count,
                s.Tasks.GroupBy(t => t.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count()))).ToArray();
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(new RunView(run.Pathspec, run.Status, run.CreatedAt, run.FinishedAt, run.User,
                    run.Parameters, run.SystemTags, run.UserTags, run.Error, steps), CliJsonContext.Printed.RunView));
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
                output.Out.WriteLine($"    {step.Step,-20} {step.Tasks,6} task{(step.Tasks == 1 ? " " : "s")}  {string.Join(", ", step.Statuses.Select(s => $"{s.Value} {s.Key}"))}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A run as <c>show --json</c> prints it.</summary>
    internal sealed record RunView(string Run, Metadata.RunStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string User,
        IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> SystemTags, IReadOnlyList<string> UserTags, string? Error, StepView[] Steps);

    /// <summary>One step of a <see cref="RunView"/>: its task count and how many tasks ended in each status.</summary>
    internal sealed record StepView(string Step, int Tasks, Dictionary<string, int> Statuses);
}
