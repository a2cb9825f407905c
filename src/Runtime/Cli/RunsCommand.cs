using System.CommandLine;
using System.Globalization;
using Sharpflow.Client;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary><c>runs</c>: lists a flow's runs (in the tool: one flow's or every flow's), newest first, with their status, timing, user and tags.</summary>
internal static class RunsCommand
{
    public static Command Build(FlowScope scope, Option<string?> datastore, CliOutput output)
    {
        var flowName = new Argument<string?>("flow") { Description = "The flow whose runs to list (default: every flow in the datastore).", Arity = ArgumentArity.ZeroOrOne };
        var tags = new Option<string[]>("--tag") { Description = "Only runs with this tag (repeat for several: all must match).", AllowMultipleArgumentsPerToken = false };
        var status = new Option<RunStatus?>("--status") { Description = "Only runs in this state: Running, Succeeded, Failed, Cancelled or Crashed." };
        var limit = new Option<int?>("--limit") { Description = "At most this many runs (the newest)." };
        var json = CliCommands.JsonOption("the runs");
        var command = new Command("runs", $"List the runs of {(scope.FlowName is null ? "a flow, or of every flow" : scope.Describe)}, newest first (spins and notebook partial runs included, marked).")
        {
            tags, status, limit, json,
        };
        if (scope.FlowName is null)
        {
            command.Arguments.Add(flowName);
        }
        command.SetAction(parse => CliErrors.Guard(output, () =>
        {
            var wanted = parse.GetValue(tags) ?? [];
            var state = parse.GetValue(status);
            var options = ClientOptions.Global with { DatastoreRoot = parse.GetValue(datastore) };
            var named = scope.FlowName ?? parse.GetValue(flowName);
            // One flow's runs come newest first as they are read (so --limit stops early); several flows' are merged by start.
            var runs = (named is not null ? new Flow(named, options).Runs : Flow.All(options).SelectMany(f => f.Runs).OrderByDescending(r => r.CreatedAt))
                .Where(r => (state is null || r.Status == state) && wanted.All(r.Tags.Contains));
            if (parse.GetValue(limit) is { } most)
            {
                runs = runs.Take(most);
            }
            var rows = runs.Select(Row.Of).ToArray();
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(rows, CliJsonContext.Printed.RowArray));
                return 0;
            }
            if (rows.Length == 0)
            {
                var whose = named is null ? "No flow has runs" : $"Flow '{named}' has no runs";
                output.Error.WriteLine($"{whose}{(state is null && wanted.Length == 0 ? "" : " that match")} in {Datastore.DatastoreLocation.ResolveRoot(parse.GetValue(datastore))}.");
                return 0;
            }
            var flowColumn = named is null ? Math.Max(4, rows.Max(r => r.Flow.Length)) : 0;
            output.Out.WriteLine($"{(named is null ? "FLOW".PadRight(flowColumn + 1) : "")}{"RUN",-16} {"STATUS",-10} {"STARTED (UTC)",-19} {"DURATION",9} {"USER",-12} TAGS");
            foreach (var row in rows)
            {
                var duration = row.Duration is { } d ? FormatDuration(d) : "-";
                var kind = row.Kind is null ? "" : $"({row.Kind}) ";
                output.Out.WriteLine($"{(named is null ? row.Flow.PadRight(flowColumn + 1) : "")}{row.RunId,-16} {row.Status,-10} {row.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-19} {duration,9} {row.User,-12} {kind}{string.Join(", ", row.Tags)}");
            }
            return 0;
        }));
        return command;
    }

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h{duration.Minutes:00}m"
            : duration.TotalMinutes >= 1 ? $"{duration.Minutes}m{duration.Seconds:00}s"
            : (duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s");

    /// <summary>One run as listed (and as its <c>--json</c> object).</summary>
    internal sealed record Row(string Flow, string RunId, RunStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, TimeSpan? Duration, string User, string? Kind, IReadOnlyList<string> Tags, string? Error)
    {
        public static Row Of(Run run) => new(run.FlowName, run.Id, run.Status, run.CreatedAt, run.FinishedAt, run.FinishedAt - run.CreatedAt, run.User,
            run.SystemTags.Contains(RunRecord.SpinTag) ? "spin" : run.SystemTags.Contains(RunRecord.PartialTag) ? "partial" : null,
            run.UserTags, run.Error);
    }
}
