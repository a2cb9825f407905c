using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Sharpflow.Config;

namespace Sharpflow.Tests.Flows;

public sealed record TrainSettings : IValidatableObject
{
    [Range(0.0, 1.0)] public double LearningRate { get; init; } = 0.1;
    [Required] public string Target { get; init; } = "";
    public int Epochs { get; init; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Epochs <= 0)
        {
            yield return new ValidationResult("epochs must be positive", [nameof(Epochs)]);
        }
    }
}

public class ConfigFlow : FlowSpec
{
    [Config("train", Default = "missing-train.toml")] public TrainSettings Train { get; set; } = new();
    [Config("extra", Default = "missing-extra.json")] public ConfigValue Extra { get; set; } = new(null);

    public string Seen = "";

    [Step] public void Start() { Seen = $"{Train.Target}:{Train.LearningRate}:{Train.Epochs}:{Extra.Get<int>("model.layers")}"; Next(End); }
    [Step] public void End() { }
}

public sealed class MutableSettings
{
    public int Size { get; set; } = 1;
}

public sealed record ScheduleSettings
{
    public DateTime StartsAt { get; init; }
    public Uri? Endpoint { get; init; }
    public Dictionary<string, double> LossWeights { get; init; } = [];
}

public class ScheduleFlow : FlowSpec
{
    [Config("schedule", Default = "unused.yaml")] public ScheduleSettings Schedule { get; set; } = new();

    public string Seen = "";

    [Step] public void Start() { Seen = $"{Schedule.StartsAt:yyyy-MM-dd} {string.Join(",", Schedule.LossWeights.Keys)}"; Next(End); }
    [Step] public void End() { }
}

public class ConfigTamperFlow : FlowSpec
{
    [Config("settings", Default = "unused.json")] public MutableSettings Settings { get; set; } = new();

    [Step] public void Start() { Settings.Size = 99; Next(End); }
    [Step] public void End() { }
}

/// <summary>Merges a base file with an override file named like it (<c>x.toml</c> + <c>x.override.toml</c>).</summary>
public sealed class BaseAndOverrideParser : IConfigParser
{
    public JsonNode Parse(string path)
    {
        var merged = ConfigFormats.Read(path).Tree.AsObject();
        var overridePath = Path.ChangeExtension(path, ".override" + Path.GetExtension(path));
        if (File.Exists(overridePath))
        {
            foreach (var (key, value) in ConfigFormats.Read(overridePath).Tree.AsObject())
            {
                merged[key] = value?.DeepClone();
            }
        }
        return merged;
    }
}

public class MergedConfigFlow : FlowSpec
{
    [Config("train", Default = "unused.toml", Parser = typeof(BaseAndOverrideParser))] public TrainSettings Train { get; set; } = new();

    public string Seen = "";

    [Step] public void Start() { Seen = $"{Train.Target}:{Train.LearningRate}"; Next(End); }
    [Step] public void End() { }
}
