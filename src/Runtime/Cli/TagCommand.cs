using System.CommandLine;
using Sharpflow.Client;

namespace Sharpflow.Cli;

/// <summary><c>tag add|remove|replace|list</c>: changes and shows the tags of a run after it ran.</summary>
internal static class TagCommand
{
    public static Command Build(FlowScope scope, Option<string?> datastore, CliOutput output)
    {
        var ns = FlowScope.NamespaceOption();
        var command = new Command("tag", $"Add, remove, replace or list the tags of a run of {scope.Describe}.") { ns };
        var where = (Datastore: datastore, Namespace: ns);
        command.Subcommands.Add(Change("add", "Add tags to a run.", scope, where, output, (run, tags) => run.AddTagsAsync(tags)));
        command.Subcommands.Add(Change("remove", "Remove user tags from a run.", scope, where, output, (run, tags) => run.RemoveTagsAsync(tags)));

        var replaceRun = RunArgument(scope);
        var oldTag = new Argument<string>("old") { Description = "The user tag to remove." };
        var newTag = new Argument<string>("new") { Description = "The tag to add in its place." };
        var replace = new Command("replace", "Replace one user tag of a run with another, in one write.") { replaceRun, oldTag, newTag };
        replace.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var run = Resolve(scope, parse, where, parse.GetValue(replaceRun)!);
            var old = parse.GetValue(oldTag)!;
            if (!run.UserTags.Contains(old))
            {
                throw new ArgumentException($"Run {run.Pathspec} has no user tag '{old}' to replace. Its user tags: {(run.UserTags.Count == 0 ? "none" : string.Join(", ", run.UserTags))}.");
            }
            await run.ReplaceTagsAsync([old], [parse.GetValue(newTag)!]).ConfigureAwait(false);
            Print(output, run, json: false);
            return 0;
        }));
        command.Subcommands.Add(replace);

        var runId = RunArgument(scope);
        var json = CliCommands.JsonOption("the tags");
        var list = new Command("list", "List a run's system and user tags.") { runId, json };
        list.SetAction(parse => CliErrors.GuardAsync(output, () =>
        {
            var run = Resolve(scope, parse, where, parse.GetValue(runId)!);
            Print(output, run, parse.GetValue(json));
            return Task.FromResult(0);
        }));
        command.Subcommands.Add(list);
        return command;
    }

    private static Command Change(string name, string description, FlowScope scope, (Option<string?> Datastore, Option<string?> Namespace) where, CliOutput output, Func<Run, string[], Task> change)
    {
        var runId = RunArgument(scope);
        var tags = new Argument<string[]>("tags") { Description = "The tags.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { runId, tags };
        command.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var run = Resolve(scope, parse, where, parse.GetValue(runId)!);
            await change(run, parse.GetValue(tags)!).ConfigureAwait(false);
            Print(output, run, json: false);
            return 0;
        }));
        return command;
    }

    private static Argument<string> RunArgument(FlowScope scope) => new("run") { Description = $"The run: {scope.RunShape} ('latest' for the newest)." };

    private static Run Resolve(FlowScope scope, ParseResult parse, (Option<string?> Datastore, Option<string?> Namespace) where, string pathspec)
    {
        var (flow, parts) = scope.Open(parse.GetValue(where.Datastore), pathspec, "latest", "");
        return FlowScope.RunOf(flow, parts[0], parse.GetValue(where.Namespace));
    }

    private static void Print(CliOutput output, Run run, bool json)
    {
        if (json)
        {
            output.Out.WriteLine(CliCommands.ToJson(new TagsView(run.Pathspec, run.SystemTags, run.UserTags), CliJsonContext.Printed.TagsView));
            return;
        }
        output.Out.WriteLine($"{run.Pathspec}");
        output.Out.WriteLine($"    system: {string.Join(", ", run.SystemTags)}");
        output.Out.WriteLine($"    user:   {string.Join(", ", run.UserTags)}");
    }

    /// <summary>A run's tags as <c>tag list --json</c> prints them.</summary>
    internal sealed record TagsView(string Run, IReadOnlyList<string> SystemTags, IReadOnlyList<string> UserTags);
}
