using Sharpflow.CellFlows;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Formatting;
using Sharpflow.Graph;

namespace Sharpflow.Interactive;

/// <summary>
/// The flows a notebook builds from cells. A flow cell (<c>#!flow-define</c>) or step cell (<c>#!step</c>) is added
/// to its flow, the flow is compiled and loaded (so <c>#!flow-run</c>, resume and the Client API see it like any
/// flow), and a step cell then runs that one step at once: a partial run, kept in memory over the real datastore,
/// that takes its inputs from the newest run (a real one, or an earlier step cell's) in which the step's parents
/// succeeded, and runs the steps before it first when there is none. Nothing is written to the real datastore.
/// </summary>
public sealed class CellFlowSession
{
    private const int TasksShown = 4;
    private readonly CellFlowCatalog _catalog = new();
    private readonly CellFlowCompiler _compiler;
    private readonly IBlobStore _scratch;

    /// <summary>A session over the datastore at <paramref name="datastoreRoot"/> (the usual default when null).</summary>
    /// <param name="datastoreRoot">The real datastore (runs of <c>#!flow-run</c>); cell runs are kept in memory over it.</param>
    public CellFlowSession(string? datastoreRoot = null)
    {
        _compiler = new CellFlowCompiler(() => AssemblyReferences());
        _scratch = new OverlayBlobStore(new InMemoryBlobStore(), DatastoreLocation.Open(datastoreRoot));
    }

    /// <summary>Assembly paths cells may use beyond those already loaded: the notebook's NuGet packages (set by the kernel glue).</summary>
    public Func<IEnumerable<string>> AssemblyReferences { get; set; } = () => [];

    /// <summary>The notebook's NuGet packages as <c>Name@Version</c>, written into exported flow files (set by the kernel glue).</summary>
    public Func<IEnumerable<string>> PackageReferences { get; set; } = () => [];

    /// <summary>The cell flows defined so far.</summary>
    public CellFlowCatalog Catalog => _catalog;

    /// <summary>The datastore cell runs are written to: memory, over the real datastore.</summary>
    public IBlobStore ScratchStore => _scratch;

    /// <summary>
    /// Runs a flow or step cell (its whole text, directive first). Returns what to display: the flow's outline for a
    /// flow cell, the step's tasks with their artifacts and output for a step cell. A cell that does not compile
    /// leaves the flow as it was and throws <see cref="CellFlowException"/> naming the cell and line.
    /// </summary>
    public async Task<CellResult> ExecuteAsync(string cellText, INotebookDisplay display, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(display);
        var cell = FlowCellParser.Parse(cellText) ?? throw new ArgumentException(
            $"A flow or step cell starts with `{FlowCellParser.FlowDirective} Flow` or `{FlowCellParser.StepDirective} step --flow Flow ...`.");
        var (flow, type) = Define(cell);
        if (cell is not StepCell step)
        {
            return new CellResult(flow, type, null, Outline(flow, type));
        }

        if (RemoteBackendOf(type, step.Step) is { } backend)
        {
            return new CellResult(flow, type, null, RemoteStepNote(flow, step, backend));
        }
        var graph = FlowGraphExtractor.Extract(type);
        var live = new LiveRunView(graph, display);
        // Reuse: running a cell whose step and upstream did not change takes the earlier result instead of running it again.
        await using var runner = new Runner(type, new RunnerOptions { BlobStore = _scratch, StopAfter = step.Step, OnEvent = live.Handle, Reuse = true });
        var parents = graph[step.Step].InSteps.ToArray();
        var origin = parents.Length == 0 ? null : NewestRunWith(flow.Name, parents);
        var run = origin is null
            ? await runner.RunAsync(null, cancellationToken).ConfigureAwait(false)
            : await runner.ResumeAsync(new ResumeOptions { Step = step.Step, OriginRunId = origin.Id }, cancellationToken).ConfigureAwait(false);
        live.Finish(run);
        return new CellResult(flow, type, run, StepView(run, step, origin));
    }

    /// <summary>Throws when <paramref name="flow"/> is a cell flow that still names steps no cell defines (before a full run).</summary>
    public void EnsureComplete(string flow)
    {
        if (_catalog.Find(flow)?.WhatIsMissing() is { } missing)
        {
            throw new InvalidOperationException($"Flow '{flow}' is built from cells, and {missing}");
        }
    }

    /// <summary>Writes the cell flow <paramref name="flow"/> as a flow file at <paramref name="path"/> and returns the full path.</summary>
    public string Export(string flow, string path, ExportOptions? options = null)
    {
        var cells = _catalog.Find(flow) ?? throw new KeyNotFoundException(
            $"No cells define flow '{flow}'. Cell flows: {(_catalog.Flows.Count == 0 ? "(none)" : string.Join(", ", _catalog.Flows.Select(f => f.Name)))}.");
        var full = Path.GetFullPath(path);
        options ??= new ExportOptions { RuntimeProject = RuntimeProject.Find() };
        var text = CellFlowExporter.Export(cells, full, options with { Packages = [.. options.Packages.Concat(PackageReferences()).Distinct(StringComparer.OrdinalIgnoreCase)] });
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Adds the cell to a copy of its flow and compiles that; only a flow that compiles replaces the current one.</summary>
    private (CellFlow Flow, Type Type) Define(FlowCell cell)
    {
        var candidate = _catalog.Find(cell.Flow)?.Clone() ?? new CellFlow(cell.Flow);
        candidate.Define(cell);
        var type = _compiler.Compile(CellFlowSource.Generate(candidate, CellSourceStyle.Mapped));
        _catalog.Replace(candidate);
        return (candidate, type);
    }

    /// <summary>The newest run (cell run or real run) in which every task of the given steps succeeded.</summary>
    private Run? NewestRunWith(string flow, IReadOnlyList<string> steps) =>
        new Flow(flow, new ClientOptions { BlobStore = _scratch }).Runs.Take(20).FirstOrDefault(run =>
        {
            var ran = run.Steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
            return steps.All(s => ran.TryGetValue(s, out var step) && step.Tasks.Count > 0 && step.Tasks.All(t => t.Successful));
        });

    private static string Outline(CellFlow flow, Type type)
    {
        var writer = new Cards.CardWriter().Trusted("<div class=\"sf\" style=\"font-family:system-ui,sans-serif;font-size:13px\">")
            .Element("b", $"Flow {flow.Name}").Text($": {flow.IncludedSteps.Count} step cell(s)");
        if (flow.MissingSteps.Count > 0)
        {
            writer.Text($"; still to write: {string.Join(", ", flow.MissingSteps)}");
        }
        var parameters = FlowParameter.Of(type);
        if (parameters.Count > 0)
        {
            writer.Text($"; parameters: {string.Join(", ", parameters.Select(p => $"--{p.Name} ({p.Type.Name})"))}");
        }
        writer.Trusted("</div>");
        return writer.ToString() + (flow.IncludedSteps.Any(s => s.Step == FlowGraphNames.Start) ? NotebookViews.Graph(FlowGraphExtractor.Extract(type)) : "");
    }

    /// <summary>The backend a step is sent to (<c>--with slurm</c> in its cell), or null when it runs here.</summary>
    private static string? RemoteBackendOf(Type flow, string step) =>
        flow.GetMethod(step)?.GetCustomAttributes(inherit: true).OfType<IComputeAttribute>().FirstOrDefault()?.Backend;

    private static string RemoteStepNote(CellFlow flow, StepCell step, string backend) =>
        new Cards.CardWriter().Trusted("<div class=\"sf\" style=\"font-family:system-ui,sans-serif;font-size:13px\">")
            .Element("b", $"{flow.Name}.{step.Step}").Text($" runs on {backend}: it runs when the flow runs (")
            .Element("code", $"#!flow-run {flow.Name}").Text("), where a remote worker can read its inputs from the datastore. "
                + "A step cell runs in memory, which a remote worker cannot read, so this cell only defines the step.")
            .Trusted("</div>").ToString();

    private static string StepView(Run run, StepCell step, Run? origin)
    {
        var tasks = run.Steps.FirstOrDefault(s => s.Name == step.Step)?.Tasks ?? [];
        var writer = new Cards.CardWriter().Trusted("<div class=\"sf\" style=\"font-family:system-ui,sans-serif;font-size:13px\">")
            .Element("b", $"{run.FlowName}.{step.Step}").Text(
                $": {tasks.Count} task(s), {run.Status.ToString().ToLowerInvariant()}; inputs from "
                + (origin is null ? "a fresh partial run (the steps before it ran too)" : $"run {origin.Id}{(origin.Tags.Contains(Metadata.RunRecord.PartialTag) ? " (an earlier step cell)" : "")}")
                + ". Nothing was written to the datastore.");
        if (!run.Successful && run.Error is { } error)
        {
            writer.Element("pre", error);
        }
        writer.Trusted("</div>");
        var shown = tasks.Where(t => !t.Successful).Concat(tasks.Where(t => t.Successful)).Take(TasksShown).Select(NotebookViews.Task);
        var more = tasks.Count > TasksShown ? $"<p>… and {tasks.Count - TasksShown} more task(s).</p>" : "";
        return writer.ToString() + string.Concat(shown) + more;
    }
}

/// <summary>What running a flow or step cell produced: the flow, its compiled type, the cell run (step cells) and the HTML shown.</summary>
public sealed record CellResult(CellFlow Flow, Type FlowType, Run? Run, string Html)
{
    /// <inheritdoc />
    public override string ToString() => Html;
}
