using System.Collections.Concurrent;
using System.Reflection;
using Sharpflow.Compute;
using Sharpflow.Extensibility;

namespace Sharpflow.Execution;

/// <summary>
/// Reads <c>--with</c> values (the CLI's and the notebook's): decorators added to every step that has none of the kind,
/// written <c>NAME[:key=value,...]</c> with the attribute's own properties in snake_case or PascalCase: the built-in step
/// decorators (<c>retry</c>, <c>timeout</c>, <c>catch</c>, <c>resources</c>, <c>card</c>, <c>environment</c>, <c>reuse</c>), the flow's own decorators
/// (<see cref="StepDecoratorAttribute"/> subclasses of its assembly, <c>log_timing</c> for <c>LogTimingAttribute</c>),
/// or a compute backend (<c>slurm:partition=gpu</c>).
/// </summary>
public static class WithDecorators
{
    private static readonly IReadOnlyDictionary<string, Type> BuiltIn = new SortedDictionary<string, Type>(StringComparer.Ordinal)
    {
        ["retry"] = typeof(RetryAttribute),
        ["timeout"] = typeof(TimeoutAttribute),
        ["catch"] = typeof(CatchAttribute),
        ["resources"] = typeof(ResourcesAttribute),
        ["card"] = typeof(CardAttribute),
        ["environment"] = typeof(EnvironmentAttribute),
        ["reuse"] = typeof(ReuseAttribute),
    };

    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, Type>> ByAssembly = new();

    /// <summary>The step decorators <c>--with</c> takes for <paramref name="flowType"/>, by name: the built-in ones and the flow assembly's.</summary>
    public static IReadOnlyDictionary<string, Type> StepDecoratorsOf(Type? flowType) =>
        flowType is null ? BuiltIn : ByAssembly.GetOrAdd(flowType.Assembly, Find); // read once per assembly: every step of every task asks

    private static IReadOnlyDictionary<string, Type> Find(Assembly assembly)
    {
        var known = new SortedDictionary<string, Type>(BuiltIn.ToDictionary(), StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsSubclassOf(typeof(StepDecoratorAttribute)) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                known.TryAdd(ComputeRequest.SnakeCase(ComputeRequest.AttributeName(type)), type);
            }
        }
        return known;
    }

    /// <summary>
    /// The step decorators among <paramref name="values"/> (everything but compute backends), each checked now by making
    /// it, so an unknown name or setting is refused before anything runs; an unknown name lists what there is.
    /// </summary>
    public static IReadOnlyList<string> StepDecorators(IEnumerable<string> values, Type? flowType = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var known = StepDecoratorsOf(flowType);
        var decorators = new List<string>();
        foreach (var value in values)
        {
            var request = ComputeRequest.Parse(value);
            if (known.ContainsKey(request.Backend))
            {
                _ = Create(request, known);
                decorators.Add(value);
            }
            else if (!ComputeRequest.KnownBackends.Contains(request.Backend, StringComparer.Ordinal))
            {
                throw new ArgumentException($"--with {value}: there is no decorator or compute backend '{request.Backend}'. Decorators: {string.Join(", ", known.Keys)}; "
                    + $"compute backends: {string.Join(", ", ComputeRequest.KnownBackends.Order(StringComparer.Ordinal))} (add-on packages bring {string.Join(", ", OfficialAddOns.Backends.Select(b => $"{b.Key}: {b.Value}"))}).");
            }
        }
        return decorators;
    }

    /// <summary>A new instance of the decorator <paramref name="text"/> asks for (one per step: decorators are mutable).</summary>
    public static Attribute Create(string text, Type? flowType = null)
    {
        var request = ComputeRequest.Parse(text);
        var known = StepDecoratorsOf(flowType);
        return known.ContainsKey(request.Backend) ? Create(request, known)
            : throw new ArgumentException($"--with {text}: '{request.Backend}' is not a step decorator; the decorators are {string.Join(", ", known.Keys)}.");
    }

    private static Attribute Create(ComputeRequest request, IReadOnlyDictionary<string, Type> known)
    {
        var type = known[request.Backend];
        var decorator = (Attribute)Activator.CreateInstance(type)!;
        foreach (var (property, value) in request.TypedSettings(type))
        {
            property.SetValue(decorator, value);
        }
        return decorator;
    }

    /// <summary>
    /// The compute backend request every step runs with (<c>slurm:partition=gpu</c>), or null; checked now, so a
    /// backend whose package is missing, or a setting its attribute lacks, is refused before anything runs.
    /// </summary>
    public static string? ComputeBackend(IEnumerable<string> values, Type? flowType = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var decorators = StepDecoratorsOf(flowType);
        var requests = values.Select(ComputeRequest.Parse).Where(r => !decorators.ContainsKey(r.Backend)).ToArray();
        if (requests.Select(r => r.Backend).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw new ArgumentException($"--with {string.Join(" --with ", requests.Select(r => r.Text))}: every step runs on one compute backend; choose one (a step's own attribute still wins).");
        }
        if (requests.Select(r => r.Text).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw new ArgumentException($"--with {string.Join(" --with ", requests.Select(r => r.Text))}: give the backend once with all its settings "
                + $"({requests[0].Backend}:{string.Join(",", requests.SelectMany(r => r.Settings).Select(s => $"{s.Key}={s.Value}"))}).");
        }
        if (requests.LastOrDefault() is not { } request)
        {
            return null;
        }
        request.Attribute(request.ResolveBackend());
        return request.Text;
    }
}
