using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Reflection;
using System.Text;
using Sharpflow.Config;
using Sharpflow.Graph;

namespace Sharpflow.Execution;

/// <summary>
/// What a task's result depends on, as one hash: the code its step can reach (<see cref="StepCode"/>), its effective
/// decorators, its place in the run (step, split indexes and widths, loop iteration) and foreach items, the parameters
/// and configs that code reads (all parameters for the start step, which stores them), and the content hashes of the
/// artifacts it inherits: for a step with one parent, those its code can touch (<see cref="InputsRead"/>); every artifact
/// of every input for a join or a step with a card. Two tasks with the same fingerprint compute the same artifacts,
/// unless the step reads state the fingerprint cannot see (the clock, files, the network, unseeded randomness): such
/// steps opt out with [Reuse(false)].
/// </summary>
internal sealed class TaskFingerprint(RunContext run)
{
    /// <summary>What every task of a step shares in one run: the hash of its code, decorators, parameters and configs, and the inputs it reads.</summary>
    private sealed record StepPart(string? Text, IReadOnlySet<string>? Inputs);

    private readonly ConcurrentDictionary<string, StepPart> _steps = new(StringComparer.Ordinal);

    /// <summary>The hash of the inputs a step reads from one parent task, by step and parent task id (a foreach's children share their parent's).</summary>
    private readonly ConcurrentDictionary<(string Step, string Parent), string> _parents = new();

    /// <summary>The task's fingerprint (32 hex digits), or null when it must run: [Reuse(false)], or spin overrides.</summary>
    public string? Of(TaskSpec spec)
    {
        var step = _steps.GetOrAdd(spec.Step.Name, _ => StepPartOf(spec));
        if (step.Text is null || spec.Overrides.Count > 0)
        {
            return null;
        }
        var text = new StringBuilder(step.Text);
        text.Append("place:").Append(spec.Identity).Append('\n');
        foreach (var frame in spec.Splits)
        {
            text.Append("split:").Append(frame.Kind).Append(':').Append(frame.Index).Append('/').Append(frame.Count).Append('\n');
        }
        foreach (var item in spec.SplitItems)
        {
            text.Append("item:").Append(item?.Hash ?? "-").Append('\n');
        }
        foreach (var parent in spec.Parents)
        {
            text.Append("input:").Append(parent.Record.StepName).Append(':')
                .Append(_parents.GetOrAdd((spec.Step.Name, parent.Record.TaskId), _ => InputHash(parent, step.Inputs))).Append('\n');
        }
        return Hash(text.ToString());
    }

    /// <summary>
    /// The inherited artifacts a task's result depends on: for a step with one parent, those its code can touch and
    /// those its transition names (a foreach list, a switch condition); null (all of them) for a join, a step with a
    /// card (which shows every artifact), or code that picks members by name. The others pass through unchanged.
    /// </summary>
    public IReadOnlySet<string>? InputsRead(TaskSpec spec) => _steps.GetOrAdd(spec.Step.Name, _ => StepPartOf(spec)).Inputs;

    private StepPart StepPartOf(TaskSpec spec)
    {
        var decorators = run.Effective.DecoratorsOf(spec.Step.Name);
        var code = StepCode.Of(run.FlowType, spec.Step);
        var members = code.Members;
        var inputs = spec.Parents.Count != 1 || spec.Step.IsJoin || decorators.OfType<CardAttribute>().Any() || members is null ? null
            : spec.Step.Transition is { } transition
                ? members.Union(new[] { transition.ForeachVariable, transition.SwitchCondition }.OfType<string>()).ToHashSet(StringComparer.Ordinal)
                : members;
        if (decorators.OfType<ReuseAttribute>().LastOrDefault() is { Enabled: false })
        {
            return new StepPart(null, inputs);
        }
        var text = new StringBuilder();
        text.Append("flow:").Append(run.FlowName).Append('\n');
        text.Append("code:").Append(code.Hash).Append('\n');
        foreach (var decorator in decorators.Where(d => d is not ReuseAttribute))
        {
            text.Append("decorator:").Append(Describe(decorator)).Append('\n');
        }
        bool Reads(string member) => members is null || members.Contains(member);
        // The start step stores every parameter as an artifact, so it counts them all; later steps pass them through.
        var allParameters = spec.Parents.Count == 0 || members is null || members.Contains(StepCode.AllParameters);
        foreach (var parameter in run.Effective.ParametersOf(run.FlowType))
        {
            if (run.Parameters.TryGetValue(parameter.PropertyName, out var value) && (allParameters || Reads(parameter.PropertyName)))
            {
                text.Append("parameter:").Append(parameter.PropertyName).Append('=').Append(value).Append('\n');
            }
        }
        foreach (var config in FlowConfig.Of(run.FlowType))
        {
            if (run.Configs.TryGetValue(config.Name, out var record) && Reads(config.Property.Name))
            {
                text.Append("config:").Append(config.Name).Append('=').Append(record.Json).Append('\n');
            }
        }
        return new StepPart(text.ToString(), inputs);
    }

    /// <summary>The hash of a parent task's artifacts that a step reads (<paramref name="inputs"/>; null: all), in name order.</summary>
    private static string InputHash(TaskOutcome parent, IReadOnlySet<string>? inputs)
    {
        var text = new StringBuilder();
        foreach (var (name, entry) in parent.Artifacts.Artifacts.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (inputs is null || inputs.Contains(name))
            {
                text.Append(name).Append('=').Append(entry.Serializer).Append(':').Append(entry.Type).Append(':').Append(entry.Hash).Append('\n');
            }
        }
        return Hash(text.ToString());
    }

    private static string Hash(string text)
    {
        var hash = new XxHash128();
        hash.Append(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>A decorator as its type and the values of its properties, in name order.</summary>
    private static string Describe(Attribute decorator)
    {
        var properties = decorator.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != nameof(Attribute.TypeId))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={Value(p.GetValue(decorator))}");
        return $"{decorator.GetType().FullName}({string.Join(",", properties)})";
    }

    private static string Value(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Value)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
