using System.Reflection;
using Sharpflow.Config;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>The decorators of every step and the removed parameters, as they apply to one run.</summary>
internal sealed record EffectiveFlow(
    IReadOnlyDictionary<string, IReadOnlyList<Attribute>> Decorators, IReadOnlySet<string> RemovedParameters, IReadOnlyList<FlowParameter> AddedParameters)
{
    /// <summary>The run's parameters: the declared ones and those mutators added.</summary>
    public IReadOnlyList<FlowParameter> ParametersOf(Type flowType) => [.. FlowParameter.Of(flowType), .. AddedParameters];

    public IReadOnlyList<Attribute> DecoratorsOf(string step) => Decorators.GetValueOrDefault(step) ?? [];
}

/// <summary>
/// Works out a run's effective decorators when it starts, in this order: the attributes on each step; flow mutators,
/// then step mutators; <c>--with</c> decorators for steps without their own kind; finally every decorator's <c>From</c> config table.
/// </summary>
internal static class FlowMutation
{
    public static EffectiveFlow Apply(FlowGraph graph, IReadOnlyDictionary<string, ConfigRecord> configs, RunnerOptions options)
    {
        var flow = graph.FlowName;
        var bound = FlowConfig.Of(graph.FlowType).Where(c => configs.ContainsKey(c.Name))
            .ToDictionary(c => c.Name, c => ConfigResolver.Materialize(c, flow, configs[c.Name]), StringComparer.Ordinal);
        var steps = graph.Steps.Select(s => new MutableStep(s.Name, DeclaredDecorators(graph.FlowType, s.Method))).ToArray();
        var trees = configs.ToDictionary(c => c.Key, c => TreeOf(bound.GetValueOrDefault(c.Key), c.Value), StringComparer.Ordinal);
        var mutable = new MutableFlow(graph.FlowType, bound, trees, steps);

        foreach (var mutator in graph.FlowType.GetCustomAttributes<FlowMutatorAttribute>(true))
        {
            Run(flow, mutator.GetType().Name, () => mutator.Mutate(mutable));
        }
        foreach (var step in steps)
        {
            foreach (var mutator in graph[step.Name].Method.GetCustomAttributes<StepMutatorAttribute>(true))
            {
                Run(flow, mutator.GetType().Name, () => mutator.Mutate(step));
            }
            if (options.RetryEveryStep is { } retry)
            {
                step.AddIfMissing(new RetryAttribute { Times = retry.Times, MinutesBetween = retry.MinutesBetween });
            }
            foreach (var decorator in options.StepDecorators)
            {
                step.AddIfMissing(WithDecorators.Create(decorator, graph.FlowType));
            }
        }
        foreach (var step in steps)
        {
            // Last, so decorators that mutators added can take their arguments from configs too.
            foreach (var decorator in step.Decorators.OfType<IConfigurableDecorator>().Where(d => d.From is not null))
            {
                ConfigDecoratorArguments.Apply(flow, step.Name, (Attribute)decorator, mutable);
            }
        }
        return new EffectiveFlow(
            steps.ToDictionary(s => s.Name, s => (IReadOnlyList<Attribute>)s.Decorators.ToArray(), StringComparer.Ordinal),
            mutable.RemovedParameters,
            mutable.AddedParameters);
    }

    /// <summary>
    /// A config as a tree for decorator arguments: a typed config as bound (its defaults filled in), keys in snake_case
    /// like the files; an untyped one as written.
    /// </summary>
    private static ConfigValue TreeOf(object? bound, ConfigRecord record) => bound switch
    {
        ConfigValue tree => tree,
        null => new ConfigValue(System.Text.Json.Nodes.JsonNode.Parse(record.Json)),
        _ => new ConfigValue(System.Text.Json.JsonSerializer.SerializeToNode(bound, bound.GetType(), SnakeCase)),
    };

    private static readonly System.Text.Json.JsonSerializerOptions SnakeCase = new(Artifacts.DataJson.Options)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>A step's own decorators; a [Reuse] on the flow class counts for every step without its own.</summary>
    private static IEnumerable<Attribute> DeclaredDecorators(Type flowType, MethodInfo step)
    {
        var declared = step.GetCustomAttributes(true).OfType<Attribute>()
            .Where(a => a is RetryAttribute or TimeoutAttribute or CatchAttribute or ResourcesAttribute or EnvironmentAttribute or CardAttribute or ReuseAttribute or StepDecoratorAttribute or IComputeAttribute)
            .ToList();
        if (!declared.OfType<ReuseAttribute>().Any() && flowType.GetCustomAttribute<ReuseAttribute>(true) is { } flowWide)
        {
            declared.Add(new ReuseAttribute(flowWide.Enabled) { From = flowWide.From });
        }
        return declared;
    }

    private static void Run(string flow, string mutator, Action mutate)
    {
        try
        {
            mutate();
        }
        catch (Exception e) when (e is not OutOfMemoryException and not ConfigException)
        {
            throw new InvalidOperationException($"Flow '{flow}': mutator {mutator} failed: {e.Message}", e);
        }
    }
}
