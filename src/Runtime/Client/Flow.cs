using System.Globalization;
using Sharpflow.Metadata;

namespace Sharpflow.Client;

/// <summary>A flow in the datastore: its runs, newest first, within the client's namespace.</summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class Flow
{
    private readonly ClientContext _context;

    /// <summary>Opens the flow named <paramref name="name"/> (its class name) in the datastore.</summary>
    public Flow(string name, ClientOptions? options = null)
        : this(name, new ClientContext(options ?? new ClientOptions()))
    {
    }

    private Flow(string name, ClientContext context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _context = context;
    }

    /// <summary>The flow's name.</summary>
    public string Name { get; }

    /// <summary>Every flow the datastore holds runs of (by name), each seen through <paramref name="options"/>.</summary>
    public static IReadOnlyList<Flow> All(ClientOptions? options = null)
    {
        var context = new ClientContext(options ?? new ClientOptions()); // one datastore connection for them all
        return ClientContext.Wait(context.Metadata.ListFlowsAsync()).Select(name => new Flow(name, context)).ToArray();
    }

    /// <summary>The namespace this view is limited to; null for the global view.</summary>
    public string? Namespace => _context.Options.Namespace;

    /// <summary>The same flow seen in namespace <paramref name="namespace"/> (null: every run), through this view's datastore connection.</summary>
    public Flow InNamespace(string? @namespace) => new(Name, _context.Options with { Namespace = @namespace, BlobStore = _context.Store });

    /// <summary>
    /// The runs in the namespace, newest first (records are read as the sequence is enumerated). A damaged run record is
    /// skipped with a warning that names it (<see cref="ClientOptions.OnWarning"/>); the other runs stay readable.
    /// </summary>
    public IEnumerable<Run> Runs
    {
        get
        {
            var ids = ClientContext.Wait(_context.Metadata.ListRunIdsAsync(Name)).OrderByDescending(RunOrder).ThenByDescending(i => i, StringComparer.Ordinal).ToArray();
            // Pages of records (and user tags) read at once, growing: the newest run costs one small page, a listing few round trips.
            for (int start = 0, size = 8; start < ids.Length; start += size, size = Math.Min(size * 2, 256))
            {
                foreach (var stored in ClientContext.Wait(_context.Metadata.ReadRunsAsync(Name, ids[start..Math.Min(start + size, ids.Length)])))
                {
                    if (stored.Damage is { } damage)
                    {
                        _context.Warn($"Run '{Name}/{stored.RunId}' is skipped: {damage.Message}");
                    }
                    else if (stored.Record is { } record && InNamespace(record))
                    {
                        yield return new Run(_context, record, stored.UserTags);
                    }
                }
            }
        }
    }

    /// <summary>The newest run of the flow in the namespace, or null; spins and partial runs are not candidates (<see cref="Run.IsSideRun"/>).</summary>
    public Run? LatestRun => Runs.FirstOrDefault(r => !r.IsSideRun);

    /// <summary>The newest successful run of the flow in the namespace, or null; spins and partial runs are not candidates.</summary>
    public Run? LatestSuccessfulRun => Runs.FirstOrDefault(r => r.Successful && !r.IsSideRun);

    /// <summary>The runs that carry every one of <paramref name="tags"/>, newest first.</summary>
    public IEnumerable<Run> RunsTagged(params string[] tags) => Runs.Where(r => tags.All(r.Tags.Contains));

    /// <summary>The run with this id; errors name the flow and, for a run outside the namespace, how to see it.</summary>
    public Run this[string runId]
    {
        get
        {
            var record = ClientContext.Wait(_context.Metadata.ReadRunAsync(Name, runId))
                ?? throw new KeyNotFoundException($"Flow '{Name}' has no run '{runId}' in the datastore at {_context.Store.Location}.");
            return InNamespace(record) ? new Run(_context, record) : throw new KeyNotFoundException(
                $"Run '{Name}/{runId}' is not in namespace '{Namespace}' (it belongs to {string.Join(", ", record.SystemTags.Where(t => t.StartsWith("user:", StringComparison.Ordinal)))}). "
                + "Use ClientOptions.Global to see every run (on the command line an explicit run id reads any run).");
        }
    }

    private bool InNamespace(RunRecord record) =>
        Namespace is null || record.SystemTags.Contains(Namespace)
        || ClientContext.Wait(_context.Metadata.ReadUserTagsAsync(record)).Contains(Namespace);

    private static long RunOrder(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MinValue;
}
