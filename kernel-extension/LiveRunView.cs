using System.Diagnostics;
using System.Globalization;
using Sharpflow.Cards;
using Sharpflow.Events;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Interactive;

/// <summary>
/// One live display of a running flow, updated in place from its events: the DAG with each step's status, tasks
/// done/running/failed per step, elapsed time and the last log lines. Updates are throttled (4 per second).
/// </summary>
public sealed class LiveRunView
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly FlowGraph _graph;
    private readonly IDisplayHandle _display;
    private readonly StepProgress _progress = new();
    private readonly Queue<string> _lastLines = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private DateTime _lastUpdate = DateTime.MinValue;
    private string _runId = "";
    private string _state = "starting";
    private bool _finished;

    /// <summary>Shows the initial view on <paramref name="display"/>.</summary>
    public LiveRunView(FlowGraph graph, INotebookDisplay display)
    {
        _graph = graph;
        _display = display.Display(Render());
    }

    /// <summary>Takes one event into account (call it from the run's event stream).</summary>
    public void Handle(RunEvent runEvent)
    {
        lock (_lock)
        {
            _progress.Apply(runEvent);
            switch (runEvent)
            {
                case RunStarted started:
                    _runId = started.RunId;
                    _state = "running";
                    break;
                case TaskFailed task:
                    Remember($"{task.Step}/{task.TaskId} failed: {task.Exception.Type}: {task.Exception.Message}");
                    break;
                case LogLine line:
                    Remember($"[{line.Step}/{line.TaskId}] {line.Text}");
                    break;
                case RunFinished finished:
                    _state = finished.Status.ToString().ToLowerInvariant();
                    break;
            }
            if (runEvent is RunFinished || DateTime.UtcNow - _lastUpdate >= Interval)
            {
                _lastUpdate = DateTime.UtcNow;
                _display.Update(Render());
            }
        }
    }

    /// <summary>
    /// Shows how <paramref name="run"/> ended, whatever events arrived (a spin reports no run events): the final state of
    /// the view, drawn from the stored run.
    /// </summary>
    public void Finish(Client.Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            _runId = run.Id;
            _state = run.Status.ToString().ToLowerInvariant();
            foreach (var step in run.Steps)
            {
                _progress.Record(step.Name, step.Tasks.Count(t => t.Successful), step.Tasks.Count(t => t.Status == RunStatus.Failed));
            }
            _finished = true;
            _display.Update(Render());
        }
    }

    /// <summary>
    /// The view's HTML now: while the run goes, its status line, the DAG with each step's status, the task counts and
    /// the last output lines; once finished, without the DAG (the run's summary that follows draws it).
    /// </summary>
    public string Render()
    {
        var writer = new CardWriter().Trusted("<div class=\"sf-live\" style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        writer.Trusted("<div>").Element("b", $"{_graph.FlowName} {_runId}").Text($" · {_state} · {_clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s").Trusted("</div>");
        if (!_finished)
        {
            writer.Trusted("<style>" + GraphSvgRenderer.Style + "</style>");
            writer.Trusted(GraphSvgRenderer.Render(_graph, _progress.StatusOf, _progress.TotalOf));
        }
        new Table(["step", "tasks", "done", "running", "failed"], _progress.Steps.Select(s => (IReadOnlyList<object?>)[s.Key, _progress.TotalOf(s.Key), s.Value.Done, s.Value.Running, s.Value.Failed])).Render(writer);
        if (_lastLines.Count > 0)
        {
            writer.Element("pre", string.Join('\n', _lastLines));
        }
        return writer.Trusted("</div>").ToString();
    }

    private void Remember(string line)
    {
        _lastLines.Enqueue(line);
        while (_lastLines.Count > 10)
        {
            _lastLines.Dequeue();
        }
    }
}
