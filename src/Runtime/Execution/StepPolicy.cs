namespace Sharpflow.Execution;

/// <summary>
/// The failure handling of one step, from its effective decorators, applied in Metaflow's order: the timeout bounds
/// each attempt, retries repeat failed attempts, and catch turns a final failure into an artifact.
/// </summary>
internal sealed record StepPolicy(int RetryTimes, TimeSpan RetryDelay, TimeSpan? Timeout, string? CatchVariable, IReadOnlyList<StepDecoratorAttribute> Decorators)
{
    /// <summary>The step's compute attribute, if it names one.</summary>
    public IComputeAttribute? Compute { get; init; }

    /// <summary>The step's resources, if it states them.</summary>
    public ResourcesAttribute? Resources { get; init; }

    /// <summary>The step's environment variables (<see cref="EnvironmentAttribute"/>), if it sets any.</summary>
    public EnvironmentAttribute? Environment { get; init; }

    public static StepPolicy For(IReadOnlyList<Attribute> decorators)
    {
        var retry = decorators.OfType<RetryAttribute>().LastOrDefault();
        var timeout = decorators.OfType<TimeoutAttribute>().LastOrDefault()?.Limit;
        return new StepPolicy(
            Math.Max(0, retry?.Times ?? 0),
            TimeSpan.FromMinutes(Math.Max(0, retry?.MinutesBetween ?? 0)),
            timeout is { } limit && limit > TimeSpan.Zero ? limit : null,
            decorators.OfType<CatchAttribute>().LastOrDefault()?.Var,
            decorators.OfType<StepDecoratorAttribute>().ToArray())
        {
            Compute = decorators.OfType<IComputeAttribute>().LastOrDefault(),
            Resources = decorators.OfType<ResourcesAttribute>().LastOrDefault(),
            Environment = decorators.OfType<EnvironmentAttribute>().LastOrDefault(),
        };
    }
}
