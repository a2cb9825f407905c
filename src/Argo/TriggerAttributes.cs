namespace Sharpflow;

/// <summary>
/// Starts the deployed flow when an event arrives, as Metaflow's <c>@trigger</c>: <c>argo-workflows create</c> makes an
/// Argo Events Sensor that submits a run when an event named <see cref="Event"/> reaches the webhook event source, with
/// payload fields as flow parameters (<see cref="Parameters"/>). With several [Trigger] and [TriggerOnFinish], the run
/// starts once every one of their events has arrived. Local runs ignore it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class TriggerAttribute(string @event) : Attribute
{
    /// <summary>The event's name (its <c>name</c> field), e.g. <c>data_updated</c>.</summary>
    public string Event { get; } = @event;

    /// <summary>
    /// Flow parameters taken from the event's payload, comma-separated: <c>table=table_name</c> sets <c>--table</c> from the
    /// payload's <c>table_name</c>, <c>rows</c> sets <c>--rows</c> from <c>rows</c>. A parameter the payload lacks keeps its default.
    /// </summary>
    public string? Parameters { get; set; }
}

/// <summary>
/// Starts the deployed flow when a deployed run of another flow succeeds, as Metaflow's <c>@trigger_on_finish</c>: the
/// upstream run's exit handler raises <c>sharpflow.[project.branch.]Flow.finished</c> (see <see cref="FlowEvents"/>)
/// and this flow's Sensor waits for it. Flows in a project are matched on the same branch. Local runs ignore it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class TriggerOnFinishAttribute(string flow) : Attribute
{
    /// <summary>The upstream flow's name (its class name).</summary>
    public string Flow { get; } = flow;
}
