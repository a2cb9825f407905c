using System.CommandLine;
using System.Diagnostics;

namespace Sharpflow.Cli;

/// <summary><c>card list|get|view run/step/task</c>: the cards of a task, as self-contained HTML files.</summary>
internal static class CardCommand
{
    public static Command Build(FlowScope scope, Option<string?> datastore, CliOutput output)
    {
        var ns = FlowScope.NamespaceOption();
        var command = new Command("card", "List, print or open the cards of a task.") { ns };

        var listPath = TaskPathspec.Argument(scope);
        var list = new Command("list", "List the cards of a step's tasks.") { listPath };
        list.SetAction(parse => CliErrors.Guard(output, () =>
        {
            foreach (var task in TaskPathspec.Resolve(scope, parse.GetValue(datastore), parse.GetValue(listPath)!, parse.GetValue(ns)))
            {
                foreach (var card in task.Cards)
                {
                    output.Out.WriteLine($"{task.Pathspec} {card.Id}");
                }
            }
            return 0;
        }));

        var getPath = TaskPathspec.Argument(scope);
        var id = new Option<string?>("--id") { Description = "The card's id (default: the task's first card)." };
        var get = new Command("get", "Print a card's HTML.") { getPath, id };
        get.SetAction(parse => CliErrors.Guard(output, () =>
        {
            output.Out.Write(Pick(scope, parse.GetValue(datastore), parse.GetValue(getPath)!, parse.GetValue(id), parse.GetValue(ns)).Html);
            return 0;
        }));

        var viewPath = TaskPathspec.Argument(scope);
        var viewId = new Option<string?>("--id") { Description = "The card's id (default: the task's first card)." };
        var file = new Option<string?>("--file") { Description = "Where to write the HTML (default: a temporary file)." };
        var open = new Option<bool>("--open") { Description = "Also open it in the default browser, when there is one." };
        var view = new Command("view", "Write a card to an HTML file and print its path.") { viewPath, viewId, file, open };
        view.SetAction(parse => CliErrors.Guard(output, () =>
        {
            var card = Pick(scope, parse.GetValue(datastore), parse.GetValue(viewPath)!, parse.GetValue(viewId), parse.GetValue(ns));
            var path = Path.GetFullPath(parse.GetValue(file) ?? Path.Combine(Path.GetTempPath(), $"sharpflow-card-{Guid.NewGuid():N}.html"));
            card.Save(path);
            output.Out.WriteLine(path);
            if (parse.GetValue(open))
            {
                Process.Start(new ProcessStartInfo(path) { UseShellExecute = true });
            }
            return 0;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(get);
        command.Subcommands.Add(view);
        return command;
    }

    private static Client.TaskCardFile Pick(FlowScope scope, string? datastore, string pathspec, string? id, string? @namespace)
    {
        var task = TaskPathspec.Resolve(scope, datastore, pathspec, @namespace) is [var single] ? single
            : throw new ArgumentException($"'{pathspec}' names several tasks; add the task id ({scope.RunShape}/step/task-id).");
        var cards = task.Cards;
        return (id is null ? cards.FirstOrDefault() : cards.FirstOrDefault(c => c.Id == id))
            ?? throw new ArgumentException(cards.Count == 0
                ? $"Task '{task.Pathspec}' has no cards; add [Card] to step '{task.Step.Name}'."
                : $"Task '{task.Pathspec}' has no card '{id}'. Its cards are: {string.Join(", ", cards.Select(c => c.Id))}.");
    }
}
