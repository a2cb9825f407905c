using System.Text;
using System.Text.RegularExpressions;
using Sharpflow.Artifacts;
using Sharpflow.Cards;
using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// The cards of one task attempt: what <c>Current.Card</c> collects while the step runs, rendered into self-contained
/// HTML in the datastore on <c>Refresh()</c> and once more when the attempt ends, whether it succeeded or failed.
/// </summary>
internal sealed partial class TaskCards
{
    private readonly RunContext _run;
    private readonly TaskSpec _spec;
    private readonly Lock _renderLock = new();
    private bool _closed;

    public TaskCards(RunContext run, TaskSpec spec, Func<TaskRecord> currentRecord, Func<FlowSpec?> currentInstance, TaskLog log)
    {
        _run = run;
        _spec = spec;
        var declared = run.Effective.DecoratorsOf(spec.Step.Name).OfType<CardAttribute>().ToArray();
        var cards = new List<TaskCard>();
        foreach (var card in declared)
        {
            if (!CardId().IsMatch(card.Key) || card.Type is not ("default" or "blank"))
            {
                throw new ArgumentException(
                    $"Flow '{run.FlowName}', step '{spec.Step.Name}': [Card(Type = \"{card.Type}\", Id = \"{card.Id}\")] is not valid: the type is 'default' or 'blank' and the id uses letters, digits, '-' and '_'.");
            }
            cards.Add(new TaskCard(cards.Any(c => c.Id == card.Key) ? $"{card.Key}-{cards.Count + 1}" : card.Key, card.Type));
        }
        Set = new CardSet(cards, () => Render(currentRecord(), currentInstance(), null, log.Stdout, log.Stderr, final: false));
    }

    /// <summary>What the step sees as <c>Current.Card</c>.</summary>
    public CardSet Set { get; }

    /// <summary>Renders every card and stores it; a card that cannot be rendered is replaced by one that says why.</summary>
    public void Render(TaskRecord record, FlowSpec? instance, ArtifactIndex? artifacts, string stdout, string stderr, bool final)
    {
        if (Set.Cards.Count == 0)
        {
            return;
        }
        lock (_renderLock)
        {
            if (_closed)
            {
                return; // a step abandoned by its timeout must not overwrite the final card
            }
            _closed = final;
            var writes = new List<BlobWrite>();
            foreach (var card in Set.Cards)
            {
                string html;
                try
                {
                    html = CardDocument.Render(Page(card, record, instance, artifacts, stdout, stderr, final));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    html = CardDocument.Render(new CardPage("blank", record, final, new Dictionary<string, string>(), new Dictionary<string, ConfigRecord>(), [], "", "", "",
                        [new ErrorView($"The card '{card.Id}' could not be rendered: {e.GetType().Name}", e.Message, e.StackTrace)]));
                }
                writes.Add(new BlobWrite(DatastoreLayout.Card(_run.FlowName, _run.RunId, _spec.Step.Name, _spec.TaskId, card.Id), Encoding.UTF8.GetBytes(html)));
            }
            try
            {
                _run.Metadata.Store.SaveAsync(writes).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A card is a report: failing to store it is told, never a reason to fail the task.
                _run.Publish(new Events.LogLine(_run.FlowName, _run.RunId, DateTimeOffset.UtcNow, _spec.Step.Name, _spec.TaskId, "stderr",
                    $"Sharpflow: the cards of this task could not be stored: {e.Message}"));
            }
        }
    }

    private CardPage Page(TaskCard card, TaskRecord record, FlowSpec? instance, ArtifactIndex? artifacts, string stdout, string stderr, bool final)
    {
        var rows = instance is null ? [] : ArtifactMember.Of(_run.FlowType)
            .Where(m => artifacts is null || artifacts.Artifacts.ContainsKey(m.Name)) // a finished task shows what it stored
            .Select(m => new CardArtifact(m.Name, artifacts?.Artifacts.GetValueOrDefault(m.Name)?.Type ?? m.Type.FullName ?? m.Type.Name,
                artifacts?.Artifacts.GetValueOrDefault(m.Name)?.Size, m.GetValue(instance)))
            .ToArray();
        var ran = _run.Metadata.ListStepsAsync(_run.FlowName, _run.RunId).GetAwaiter().GetResult().ToHashSet(StringComparer.Ordinal);
        var dag = card.Type == "blank" ? "" : GraphSvgRenderer.Render(_run.Graph,
            step => step == _spec.Step.Name ? $"current {record.Status.ToString().ToLowerInvariant()}" : ran.Contains(step) ? "ran" : "pending",
            KnownTaskCounts(record).GetValueOrDefault);
        return new CardPage(card.Type, record, final, _run.Parameters, _run.Configs, rows, dag, stdout, stderr, card.Components) { Tags = _run.Tags };
    }

    /// <summary>
    /// Task counts the card's task knows without reading the run: inside a foreach, the step it fans out to has one task
    /// per item; a join's inputs are all the tasks of the steps before it.
    /// </summary>
    private Dictionary<string, int> KnownTaskCounts(TaskRecord record)
    {
        var counts = _spec.Step.IsJoin
            ? _spec.Parents.GroupBy(p => p.Record.StepName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);
        if (record.Splits.LastOrDefault(s => s.Kind == TransitionKind.Foreach) is { } split && _run.Graph.Find(split.SplitStep)?.Transition?.Targets[0] is { } body)
        {
            counts[body] = split.Count;
        }
        return counts;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CardId();
}
