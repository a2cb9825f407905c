namespace Sharpflow.Argo;

/// <summary>One event a flow waits for, and the payload fields it takes as parameters (by the parameter's command-line name).</summary>
/// <param name="Name">The event's name.</param>
/// <param name="Parameters">Each mapped parameter with the payload field it is read from.</param>
internal sealed record TriggerEvent(string Name, IReadOnlyList<(string Parameter, string Field)> Parameters);

/// <summary>
/// The events of a flow's <see cref="TriggerAttribute"/> and <see cref="TriggerOnFinishAttribute"/>, read one way for the
/// deployment's Sensor and for raising an event locally, so both map a payload to the same parameters.
/// </summary>
internal static class TriggerEvents
{
    /// <summary>
    /// The flow's events, [Trigger] first; a mapping to a parameter the flow does not have is refused naming the flow.
    /// A [TriggerOnFinish] flow in a project waits for its upstream on <paramref name="project"/>'s branch.
    /// </summary>
    public static IReadOnlyList<TriggerEvent> Of(Type flowType, IReadOnlyList<string> parameterNames, ProjectBranch? project)
    {
        var events = new List<TriggerEvent>();
        foreach (var trigger in flowType.GetCustomAttributes(typeof(TriggerAttribute), true).Cast<TriggerAttribute>())
        {
            var mappings = new List<(string, string)>();
            foreach (var mapping in (trigger.Parameters ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var (parameter, field) = mapping.Split('=', 2) is [var p, var f] ? (p.Trim(), f.Trim()) : (mapping, mapping);
                var name = parameterNames.Contains(parameter) ? parameter : FlowParameter.KebabCase(parameter);
                if (!parameterNames.Contains(name))
                {
                    throw new InvalidOperationException($"Flow '{flowType.Name}': [Trigger(\"{trigger.Event}\")] maps payload field '{field}' to parameter '{parameter}', "
                        + $"which the flow does not have. Its parameters are: {(parameterNames.Count == 0 ? "(none)" : string.Join(", ", parameterNames))}.");
                }
                mappings.Add((name, field));
            }
            events.Add(new TriggerEvent(trigger.Event, mappings));
        }
        events.AddRange(flowType.GetCustomAttributes(typeof(TriggerOnFinishAttribute), true).Cast<TriggerOnFinishAttribute>()
            .Select(t => new TriggerEvent(FlowEvents.Finished(t.Flow, project), [])));
        return events;
    }

    /// <summary>The parameter values an event's payload gives (fields it lacks give none: those parameters keep their defaults).</summary>
    public static Dictionary<string, string> ParametersFrom(TriggerEvent trigger, IReadOnlyDictionary<string, string> payload) =>
        trigger.Parameters.Where(m => payload.ContainsKey(m.Field)).ToDictionary(m => m.Parameter, m => payload[m.Field], StringComparer.Ordinal);
}
