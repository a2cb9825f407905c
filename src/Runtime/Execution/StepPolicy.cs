using System.Reflection;
using Sharpflow.Graph;

namespace Sharpflow.Execution;

/// <summary>
/// The failure handling of one step, from its attributes and <c>--with</c> options, applied in Metaflow's order:
/// the timeout bounds each attempt, retries repeat failed attempts, and catch turns a final failure into an artifact.
/// </summary>
internal sealed record StepPolicy(int RetryTimes, TimeSpan RetryDelay, TimeSpan? Timeout, string? CatchVariable)
{
    public static StepPolicy For(StepNode step, RunnerOptions options)
    {
        var retry = step.Method.GetCustomAttribute<RetryAttribute>(true) ?? options.RetryEveryStep;
        var timeout = step.Method.GetCustomAttribute<TimeoutAttribute>(true)?.Limit;
        var caught = step.Method.GetCustomAttribute<CatchAttribute>(true)?.Var;
        return new StepPolicy(
            Math.Max(0, retry?.Times ?? 0),
            TimeSpan.FromMinutes(Math.Max(0, retry?.MinutesBetween ?? 0)),
            timeout is { } limit && limit > TimeSpan.Zero ? limit : null,
            caught);
    }
}
