namespace Sharpflow.Execution;

/// <summary>Resolves a run's parameter values (given ones, then defaults) into the JSON stored with the run.</summary>
internal static class ParameterResolver
{
    public static IReadOnlyDictionary<string, string> Resolve(
        Type flowType, IReadOnlyDictionary<string, object?>? given, Func<FlowSpec> createDefaults, EffectiveFlow? effective = null)
    {
        var flow = flowType.Name;
        var parameters = effective?.ParametersOf(flowType) ?? FlowParameter.Of(flowType);
        var removed = effective?.RemovedParameters;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var remaining = new Dictionary<string, object?>(given ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        FlowSpec? defaults = null;
        foreach (var parameter in parameters)
        {
            var key = remaining.ContainsKey(parameter.PropertyName) ? parameter.PropertyName
                : remaining.ContainsKey(parameter.Name) ? parameter.Name : null;
            object? value;
            if (key is not null && removed is not null && (removed.Contains(parameter.Name) || removed.Contains(parameter.PropertyName)))
            {
                throw new ArgumentException($"Flow '{flow}': parameter --{parameter.Name} was removed by a mutator for this run; it keeps its default value.");
            }
            if (key is not null)
            {
                value = remaining[key];
                remaining.Remove(key);
                if (value is string text && (parameter.IncludesFile || parameter.Type != typeof(string)))
                {
                    try
                    {
                        value = parameter.Parse(text);
                    }
                    catch (ArgumentException e)
                    {
                        throw new ArgumentException($"Flow '{flow}': {e.Message}", e);
                    }
                }
                else if (value is not null && !parameter.Type.IsInstanceOfType(value) && !(parameter.IncludesFile && value is IncludedFileRecord))
                {
                    throw new ArgumentException($"Flow '{flow}': parameter --{parameter.Name} expects a {parameter.Type.Name}, not a {value.GetType().Name}.");
                }
            }
            else if (parameter.Required)
            {
                throw new ArgumentException($"Flow '{flow}': parameter --{parameter.Name} is required{(parameter.Help is { } help ? $" ({help})" : "")}. Pass a value for it.");
            }
            else if (parameter.Property is null)
            {
                value = parameter.DefaultValue;
            }
            else if (parameter.IncludesFile)
            {
                value = parameter.DefaultPath is { } path ? new IncludedFileRecord(path) : null;
            }
            else
            {
                defaults ??= createDefaults();
                value = parameter.Property.GetValue(defaults);
            }
            values[parameter.PropertyName] = parameter.ToJson(value);
        }
        if (remaining.Count > 0)
        {
            throw new ArgumentException(
                $"Flow '{flow}' has no parameter {string.Join(", ", remaining.Keys.Select(k => $"'{k}'"))}. Its parameters are: "
                + (parameters.Count == 0 ? "(none)" : string.Join(", ", parameters.Select(p => "--" + p.Name))) + ".");
        }
        return values;
    }
}
