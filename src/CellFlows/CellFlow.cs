using Sharpflow.Graph;

namespace Sharpflow.CellFlows;

/// <summary>
/// The cells of one flow as a notebook has defined them so far. Running a step cell again replaces that step (and a
/// cell with a known <see cref="FlowCell.Source"/> replaces whatever it defined before, so renaming a step in a cell
/// does not leave the old one behind).
/// </summary>
public sealed class CellFlow(string name)
{
    private readonly List<StepCell> _steps = [];

    /// <summary>The flow's name (its class name).</summary>
    public string Name { get; } = name;

    /// <summary>The <c>#!flow-define</c> cell, if there is one.</summary>
    public FlowDefinitionCell? Definition { get; private set; }

    /// <summary>The step cells, in the order they were first defined.</summary>
    public IReadOnlyList<StepCell> Steps => _steps;

    /// <summary>The steps the flow is made of: those reachable from Start (all of them while there is no Start cell).</summary>
    public IReadOnlyList<StepCell> IncludedSteps
    {
        get
        {
            var start = _steps.FirstOrDefault(s => s.Step == FlowGraphNames.Start);
            if (start is null)
            {
                return _steps;
            }
            var reachable = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([start.Step]);
            while (pending.TryPop(out var step))
            {
                if (reachable.Add(step) && _steps.FirstOrDefault(s => s.Step == step) is { } cell)
                {
                    foreach (var target in cell.Transition.Targets)
                    {
                        pending.Push(target);
                    }
                }
            }
            return _steps.Where(s => reachable.Contains(s.Step)).ToArray();
        }
    }

    /// <summary>Step cells no step leads to from Start (left behind by a rename, or not connected yet).</summary>
    public IReadOnlyList<string> DetachedSteps => _steps.Select(s => s.Step).Except(IncludedSteps.Select(s => s.Step)).ToArray();

    /// <summary>Whether a start cell defines Start (a flow whose start cell never compiled has none and cannot run).</summary>
    public bool HasStart => _steps.Any(s => s.Step == FlowGraphNames.Start);

    /// <summary>Steps that included cells name but no cell defines (End is never missing: an empty one is added).</summary>
    public IReadOnlyList<string> MissingSteps => IncludedSteps.SelectMany(s => s.Transition.Targets)
        .Where(t => t != FlowGraphNames.End && _steps.All(s => s.Step != t)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// What the flow still lacks before it can run or be exported (no start cell, or steps that cells name but no cell
    /// defines), with the cells to add; null when it is complete.
    /// </summary>
    public string? WhatIsMissing()
    {
        var gaps = MissingSteps.Select(s => $"step '{s}' (named by {ReferrerOf(s)?.Describe()})").ToList();
        if (!HasStart)
        {
            gaps.Insert(0, $"its start step (`{FlowCellParser.StepDirective} start --flow {Name} --next ...`; a start cell that did not compile defines nothing)");
        }
        return gaps.Count == 0 ? null
            : $"no cell defines {string.Join(", ", gaps)} yet. Add `{FlowCellParser.StepDirective} <step> --flow {Name} ...` cells for them.";
    }

    /// <summary>The cell that names <paramref name="step"/> in its transition, for messages.</summary>
    public StepCell? ReferrerOf(string step) => IncludedSteps.FirstOrDefault(s => s.Transition.Targets.Contains(step));

    /// <summary>A copy to try a change on (the cells themselves are immutable).</summary>
    public CellFlow Clone()
    {
        var copy = new CellFlow(Name) { Definition = Definition };
        copy._steps.AddRange(_steps);
        return copy;
    }

    /// <summary>Adds or replaces a cell of this flow.</summary>
    public void Define(FlowCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Flow != Name)
        {
            throw new ArgumentException($"Cell `{cell.Directive}` belongs to flow '{cell.Flow}', not '{Name}'.");
        }
        switch (cell)
        {
            case FlowDefinitionCell definition:
                Definition = definition;
                break;
            case StepCell step:
                var index = _steps.FindIndex(s => s.Step == step.Step);
                if (index < 0 && step.Source.Length > 0)
                {
                    index = _steps.FindIndex(s => s.Source == step.Source); // the same cell, now defining another step
                }
                if (index >= 0)
                {
                    _steps[index] = step;
                    _steps.RemoveAll(s => s != step && s.Step == step.Step);
                }
                else
                {
                    _steps.Add(step);
                }
                break;
        }
    }
}

/// <summary>Every cell flow of a notebook (or an editor's view of one), by flow name.</summary>
public sealed class CellFlowCatalog
{
    private readonly Dictionary<string, CellFlow> _flows = new(StringComparer.Ordinal);

    /// <summary>The flows defined so far.</summary>
    public IReadOnlyCollection<CellFlow> Flows => _flows.Values;

    /// <summary>Adds a cell to its flow (creating the flow) and returns the flow.</summary>
    public CellFlow Define(FlowCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (!_flows.TryGetValue(cell.Flow, out var flow))
        {
            _flows[cell.Flow] = flow = new CellFlow(cell.Flow);
        }
        flow.Define(cell);
        return flow;
    }

    /// <summary>Puts <paramref name="flow"/> in place of the flow of the same name (after a change was tried on a clone).</summary>
    public void Replace(CellFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        _flows[flow.Name] = flow;
    }

    /// <summary>The flow named <paramref name="name"/>, or null when no cell defines it.</summary>
    public CellFlow? Find(string name) => _flows.GetValueOrDefault(name);
}
