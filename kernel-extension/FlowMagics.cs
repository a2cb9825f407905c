using System.Globalization;
using Sharpflow.Cards;
using Sharpflow.CellFlows;
using Sharpflow.Client;
using Sharpflow.Config;
using Sharpflow.Execution;
using Sharpflow.Formatting;
using Sharpflow.Graph;

namespace Sharpflow.Interactive;

/// <summary>
/// What the <c>#!flow</c> magics do, as plain C#: run, resume, spin, show, runs, card and logs. The notebook glue only
/// parses the cell and forwards here; code cells may call the same methods (or the Runner API) directly.
/// </summary>
public sealed class FlowMagics(string? datastoreRoot = null)
{
    /// <summary>The flows this notebook builds from flow and step cells.</summary>
    public CellFlowSession Cells { get; } = new(datastoreRoot);

    private const int MaxInlineCards = 6;

    /// <summary>The options of <c>#!flow-run</c> itself; every other option names a parameter of the flow.</summary>
    public static readonly IReadOnlySet<string> RunOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "max-workers", "max-num-splits", "max-loop-iterations", "tag", "with", "config", "config-value", "namespace", "reuse",
    };

    /// <summary>The help text of the magics.</summary>
    public const string Help = """
        #!flow-run <FlowClass> [--<parameter> value ...] [--reuse] [--max-workers n] [--tag t] [--with retry|slurm|ssh] [--config name=path] [--config-value name=json]
        #!flow-resume <FlowClass> [--step s] [--origin-run-id id]
        #!flow-spin <FlowClass> --step <step> [--run-id id] [--task-id id]
        #!flow-show <Flow>[/<run>|/latest]
        #!flow-runs [<Flow>]
        #!flow-card <run>/<step>/<task> (or <Flow>/<run>/<step>/<task>)
        #!flow-logs <run>/<step>[/<task>] (or with the flow name first)
        #!flow-export <FlowClass> --to flows/Flow.cs [--package Name@Version ...]   (a flow built from cells)
        #!flow-define <FlowClass> [--base BaseFlow]   (a cell: the flow's parameters, configs, artifacts, helpers)
        #!step <step> --flow <FlowClass> --next <step> [--foreach list | --join | --switch artifact --case value=step] [--retry n] [--catch var] [--timeout s] [--gpu n] [--cpu n] [--memory 16G] [--card]
        """;

    /// <summary>Step names of every flow defined so far (completions for <c>--step</c>).</summary>
    public static IEnumerable<string> StepCompletions() =>
        FlowLocator.AllFlows().SelectMany(t => FlowGraphExtractor.Extract(t).Steps.Select(s => s.Name)).Distinct();

    /// <summary>The newest run ids of the flows defined so far (completions for <c>--run-id</c> and <c>--origin-run-id</c>).</summary>
    public IEnumerable<string> RunIdCompletions() =>
        FlowLocator.AllFlows().Select(t => t.Name).Distinct().SelectMany(name => new Flow(name, Client()).Runs.Take(10).Select(r => r.Id));

    /// <summary>
    /// Runs one <c>#!flow</c> line (<c>#!flow-run Flow --name Ada</c>). Returns what to display, in order, and whether the
    /// cell failed: a mistake comes back as readable HTML plus a failure, never as an exception.
    /// </summary>
    public async Task<MagicOutcome> ExecuteAsync(string line, INotebookDisplay display, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(display);
        try
        {
            var magic = MagicLine.Parse(line);
            return magic.Command switch
            {
                "run" => Finished(await RunAsync(Required(magic, 0, "a flow class"), magic, display, cancellationToken).ConfigureAwait(false)),
                "resume" => Finished(await ResumeAsync(Required(magic, 0, "a flow class"), magic.Option("step"), magic.Option("origin-run-id"), display, cancellationToken).ConfigureAwait(false)),
                "spin" => Finished(await SpinAsync(Required(magic, 0, "a flow class"), magic.Option("step") ?? Required(magic, 1, "a step"), magic.Option("run-id"), magic.Option("task-id"), display, cancellationToken).ConfigureAwait(false)),
                "show" => MagicOutcome.Showing(Show(Required(magic, 0, "a flow or flow/run"))),
                "runs" => MagicOutcome.Showing(Runs(magic.Arguments.FirstOrDefault())),
                "card" => MagicOutcome.Showing(Cards(Required(magic, 0, "a task pathspec"))),
                "logs" => MagicOutcome.Showing(Logs(Required(magic, 0, "a step or task pathspec"))),
                "export" => MagicOutcome.Showing(Export(Required(magic, 0, "a flow class"), magic)),
                "help" => MagicOutcome.Showing(new HtmlResult($"<pre>{System.Net.WebUtility.HtmlEncode(Help)}</pre>")),
                _ => throw new ArgumentException($"Unknown #!flow command '{magic.Command}'.\n{Help}"),
            };
        }
        catch (Exception e) when (IsUserError(e))
        {
            return Error(e);
        }
    }

    /// <summary>
    /// Runs a flow cell or step cell (its whole text, from the <c>#!flow-define</c> or <c>#!step</c> line): see
    /// <see cref="CellFlowSession"/>. A cell that does not compile, or a step that fails, fails the cell; the HTML
    /// names the cell and line.
    /// </summary>
    public async Task<MagicOutcome> ExecuteCellAsync(string cellText, INotebookDisplay display, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Cells.ExecuteAsync(cellText, display, cancellationToken).ConfigureAwait(false);
            return result.Run is { Successful: false } run
                ? new MagicOutcome([result], $"{run.FlowName}: the step cell's run {run.Status.ToString().ToLowerInvariant()}: {run.Error}")
                : MagicOutcome.Showing(result);
        }
        catch (Exception e) when (IsUserError(e))
        {
            return Error(e);
        }
    }

    /// <summary>Writes a flow built from cells as a flow file (<c>--to path</c>); the runtime comes from this checkout or the Sharpflow package.</summary>
    public HtmlResult Export(string flow, MagicLine magic)
    {
        var path = magic.Option("to") ?? throw new ArgumentException($"#!flow export {flow} needs --to PATH, e.g. --to flows/{flow}.cs.");
        var written = Cells.Export(flow, path, new ExportOptions { RuntimeProject = magic.Option("runtime-project") ?? RuntimeProject.Find(), Packages = magic.All("package") });
        return new HtmlResult(new CardWriter().Trusted("<div style=\"font-family:system-ui,sans-serif\">").Element("b", $"Flow {flow} exported").Text(" to ")
            .Element("code", written).Text($". Run it with: dotnet run {Path.GetFileName(written)} -- run").Trusted("</div>").ToString());
    }

    private static bool IsUserError(Exception e) =>
        e is ArgumentException or KeyNotFoundException or InvalidOperationException or FlowDefinitionException or ConfigException or FileNotFoundException or CellFlowException;

    /// <summary>Runs a flow with a live view, then returns the finished run (displayed as its summary).</summary>
    public Task<Run> RunAsync(string flow, MagicLine magic, INotebookDisplay display, CancellationToken cancellationToken = default)
    {
        Cells.EnsureComplete(flow);
        var type = FlowLocator.Find(flow);
        // The flow's own parameters: every option that is not one of run's (--name Ada, as on the command line).
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in magic.Options.Where(o => !RunOptions.Contains(o.Key)))
        {
            parameters[name] = value;
        }
        return WithLiveViewAsync(type, display, Options(magic, type), runner => runner.RunAsync(parameters, cancellationToken));
    }

    /// <summary>Resumes the latest (or the given) run of a flow, with the flow's current definition (the latest cell).</summary>
    public Task<Run> ResumeAsync(string flow, string? step, string? originRunId, INotebookDisplay display, CancellationToken cancellationToken = default)
    {
        Cells.EnsureComplete(flow);
        return WithLiveViewAsync(FlowLocator.Find(flow), display, new RunnerOptions { DatastoreRoot = datastoreRoot },
            runner => runner.ResumeAsync(new ResumeOptions { Step = step, OriginRunId = originRunId }, cancellationToken));
    }

    /// <summary>Spins one step of a flow with a past run's inputs (not persisted) and returns the spun run.</summary>
    public Task<Run> SpinAsync(string flow, string step, string? runId, string? taskId, INotebookDisplay display, CancellationToken cancellationToken = default) =>
        WithLiveViewAsync(FlowLocator.Find(flow), display, new RunnerOptions { DatastoreRoot = datastoreRoot },
            runner => runner.SpinAsync(new SpinOptions { Step = step, RunId = runId, TaskId = taskId, Persist = false }, cancellationToken));

    /// <summary>A flow's graph (<c>Flow</c>) or a run (<c>Flow/run</c>).</summary>
    public object Show(string target)
    {
        var parts = target.Split('/');
        if (parts.Length == 1)
        {
            return FlowGraphExtractor.Extract(FlowLocator.Find(parts[0]));
        }
        var flow = new Flow(parts[0], Client());
        return parts[1] == "latest"
            ? flow.LatestRun ?? throw new ArgumentException($"Flow '{parts[0]}' has no runs yet in this datastore.")
            : flow[parts[1]];
    }

    /// <summary>A flow's runs, or every flow in the datastore.</summary>
    public object Runs(string? flow) => flow is not null
        ? new Flow(flow, Client())
        : new HtmlResult(string.Join("", FlowLocator.AllFlows().Select(t => t.Name).Distinct().Select(name => NotebookViews.Flow(new Flow(name, Client())))));

    /// <summary>The cards of a task, rendered inline.</summary>
    public object Cards(string pathspec)
    {
        var task = ResolveTasks(pathspec) is [var single] ? single : throw new ArgumentException($"'{pathspec}' names several tasks; add the task id.");
        var cards = task.Cards;
        return cards.Count == 0
            ? throw new ArgumentException($"Task '{task.Pathspec}' has no cards; add [Card] to step '{task.Step.Name}'.")
            : new HtmlResult(string.Join("", cards.Select(NotebookViews.Card)));
    }

    /// <summary>The output of a step's tasks.</summary>
    public object Logs(string pathspec) => new HtmlResult(string.Join("", ResolveTasks(pathspec).Select(t =>
        new CardWriter().Element("h4", $"{t.Pathspec} ({t.Status})").Element("pre", t.Stdout + t.Stderr).ToString())));

    private static async Task<Run> WithLiveViewAsync(Type flowType, INotebookDisplay display, RunnerOptions options, Func<Runner, Task<Run>> start)
    {
        var live = new LiveRunView(FlowGraphExtractor.Extract(flowType), display);
        await using var runner = new Runner(flowType, options with { OnEvent = live.Handle });
        var run = await start(runner).ConfigureAwait(false);
        live.Finish(run);
        return run;
    }

    /// <summary>A finished run: its summary, then its cards inline; a run that did not succeed fails the cell.</summary>
    private static MagicOutcome Finished(Run run)
    {
        var cards = run.Steps.SelectMany(s => s.Tasks.Take(2)).SelectMany(t => t.Cards).Take(MaxInlineCards).Select(NotebookViews.Card).Select(html => new HtmlResult(html));
        return new MagicOutcome([run, .. cards], run.Successful ? null
            : $"Run {run.Pathspec} {run.Status.ToString().ToLowerInvariant()}: {run.Error} After a fix, #!flow-resume {run.FlowName} goes on from there (finished tasks are reused).");
    }

    private RunnerOptions Options(MagicLine magic, Type flowType) => new()
    {
        DatastoreRoot = datastoreRoot,
        MaxWorkers = int.TryParse(magic.Option("max-workers"), NumberStyles.None, CultureInfo.InvariantCulture, out var workers) ? workers : Environment.ProcessorCount,
        MaxNumSplits = int.TryParse(magic.Option("max-num-splits"), NumberStyles.None, CultureInfo.InvariantCulture, out var splits) ? splits : 100,
        Tags = magic.All("tag"),
        Namespace = magic.Option("namespace"),
        StepDecorators = WithDecorators.StepDecorators(magic.All("with"), flowType),
        ComputeBackend = WithDecorators.ComputeBackend(magic.All("with"), flowType),
        ConfigPaths = Pairs(magic.All("config")),
        ConfigValues = Pairs(magic.All("config-value")),
        Reuse = magic.Option("reuse") is { } reuse && reuse != "false",
    };

    private static Dictionary<string, string>? Pairs(IReadOnlyList<string> values) => values.Count == 0 ? null
        : values.Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p.Length == 2 ? p[1] : throw new ArgumentException($"'{p[0]}' must be name=value."), StringComparer.Ordinal);

    /// <summary>The tasks a pathspec names: <c>[Flow/]run/step[/task]</c>, where run may be <c>latest</c>.</summary>
    private IReadOnlyList<FlowTask> ResolveTasks(string pathspec)
    {
        var parts = pathspec.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var runFirst = parts.Length > 0 && (char.IsDigit(parts[0][0]) || parts[0] == "latest");
        if (parts.Length < (runFirst ? 2 : 3) || parts.Length > (runFirst ? 3 : 4))
        {
            throw new ArgumentException($"'{pathspec}': give [Flow/]run/step[/task], e.g. MyFlow/latest/Start or 1764100081212/Start/2.");
        }
        var (flowName, rest) = runFirst ? (FlowOfRun(parts[0]), parts) : (parts[0], parts[1..]);
        var flow = new Flow(flowName, Client());
        var run = rest[0] == "latest" ? flow.LatestRun ?? throw new ArgumentException($"Flow '{flowName}' has no runs.") : flow[rest[0]];
        var step = run[rest[1]];
        return rest.Length > 2 ? [step[rest[2]]] : step.Tasks;
    }

    private string FlowOfRun(string runId) => FlowLocator.AllFlows().Select(t => t.Name).Distinct()
        .FirstOrDefault(name => runId == "latest" ? new Flow(name, Client()).LatestRun is not null : new Flow(name, Client()).Runs.Any(r => r.Id == runId))
        ?? throw new ArgumentException($"No flow defined in this notebook has run '{runId}'; give the flow name first: Flow/{runId}/...");

    private static string Required(MagicLine magic, int index, string what) => index < magic.Arguments.Count ? magic.Arguments[index]
        : throw new ArgumentException($"#!flow {magic.Command} needs {what}.\n{Help}");

    private ClientOptions Client() => ClientOptions.Global with { DatastoreRoot = datastoreRoot };

    private static MagicOutcome Error(Exception e) => new([new HtmlResult(new CardWriter().Trusted("<div style=\"font-family:system-ui,sans-serif\">")
        .Element("b", "Sharpflow: ").Element("pre", e.Message).Trusted("</div>").ToString())], e.Message);
}

/// <summary>HTML for the notebook to display as it is.</summary>
public sealed record HtmlResult(string Html)
{
    /// <inheritdoc />
    public override string ToString() => Html;
}
