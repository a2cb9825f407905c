using System.ComponentModel.DataAnnotations;

namespace ConfigurableTrainExample;

/// <summary>What a model variant is: the column it predicts, how much data, the regularisation sweep, and platform policy.</summary>
public sealed record ModelConfig : IValidatableObject
{
    /// <summary>The label to predict: <c>failed</c> or <c>overheated</c>.</summary>
    [Required] public string Target { get; init; } = "failed";

    [Range(200, 1_000_000)] public int Rows { get; init; } = 2000;

    [MinLength(1)] public List<float> L2 { get; init; } = [0.01f];

    [Range(0, 10)] public int Retries { get; init; }

    /// <summary>Policies of the Fit step, read by its [Retry(From = "model.fit.retry")] and [Resources(From = "model.fit.resources")].</summary>
    public StepPolicy Fit { get; init; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Target is not ("failed" or "overheated"))
        {
            yield return new ValidationResult($"target must be 'failed' or 'overheated', not '{Target}'", [nameof(Target)]);
        }
    }
}

/// <summary>A step's retry and resource settings, as decorators read them from the config.</summary>
public sealed record StepPolicy
{
    public RetrySettings Retry { get; init; } = new();

    public ResourceSettings Resources { get; init; } = new();
}

public sealed record RetrySettings
{
    [Range(0, 10)] public int Times { get; init; }
}

public sealed record ResourceSettings
{
    [Range(1, 128)] public int Cpu { get; init; } = 1;

    [Range(0, 16)] public int Gpu { get; init; }

    [RegularExpression("^[0-9]+[MG]$", ErrorMessage = "memory must look like 512M or 16G")] public string Memory { get; init; } = "1G";
}
