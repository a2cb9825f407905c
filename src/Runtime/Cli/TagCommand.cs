using System.CommandLine;
using Sharpflow.Client;

namespace Sharpflow.Cli;

/// <summary><c>tag add|remove|list</c>: changes and shows the tags of a run after it ran.</summary>
internal static class TagCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var command = new Command("tag", $"Add, remove or list the tags of a run of flow '{flowType.Name}'.");
        command.Subcommands.Add(Change("add", "Add tags to a run.", flowType, datastore, output, (run, tags) => run.AddTagsAsync(tags)));
        command.Subcommands.Add(Change("remove", "Remove user tags from a run.", flowType, datastore, output, (run, tags) => run.RemoveTagsAsync(tags)));

        var runId = RunArgument();
        var json = CliCommands.JsonOption("the tags");
        var list = new Command("list", "List a run's system and user tags.") { runId, json };
        list.SetAction(parse => CliErrors.GuardAsync(output, () =>
        {
            var run = Resolve(flowType, parse.GetValue(datastore), parse.GetValue(runId)!);
            Print(output, run, parse.GetValue(json));
            return Task.FromResult(0);
        }));
        command.Subcommands.Add(list);
        return command;
    }

    private static Command Change(string name, string description, Type flowType, Option<string?> datastore, CliOutput output, Func<Run, string[], Task> change)
    {
        var runId = RunArgument();
        var tags = new Argument<string[]>("tags") { Description = "The tags.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { runId, tags };
        command.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var run = Resolve(flowType, parse.GetValue(datastore), parse.GetValue(runId)!);
            await change(run, parse.GetValue(tags)!).ConfigureAwait(false);
            Print(output, run, json: false);
            return 0;
        }));
        return command;
    }

    private static Argument<string> RunArgument() => new("run-id") { Description = "The run ('latest' for the newest)." };

    private static Run Resolve(Type flowType, string? datastore, string runId)
    {
        var flow = new Flow(flowType.Name, ClientOptions.Global with { DatastoreRoot = datastore });
        return runId == "latest" ? flow.LatestRun ?? throw new ArgumentException($"Flow '{flowType.Name}' has no runs yet.") : flow[runId];
    }

    private static void Print(CliOutput output, Run run, bool json)
    {
        if (json)
        {
            output.Out.WriteLine(CliCommands.ToJson(new { run = run.Pathspec, systemTags = run.SystemTags, userTags = run.UserTags }));
            return;
        }
        output.Out.WriteLine($"{run.Pathspec}");
        output.Out.WriteLine($"    system: {string.Join(", ", run.SystemTags)}");
        output.Out.WriteLine($"    user:   {string.Join(", ", run.UserTags)}");
    }
}
