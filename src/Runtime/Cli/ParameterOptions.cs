using System.CommandLine;

namespace Sharpflow.Cli;

/// <summary>
/// A flow's parameters as command-line options (<c>--name value</c>, each with its help and default), for the commands
/// that take them (<c>run</c>, <c>spin</c>; hidden for <c>resume</c>, which keeps the run's). Parameters that mutators add
/// are only known once configs resolve, so unknown <c>--name value</c> pairs are passed on and checked when the run starts.
/// </summary>
internal sealed class ParameterOptions
{
    private readonly List<(FlowParameter Parameter, Option Option)> _parameters = [];

    public ParameterOptions(Type flowType, Command command, bool hidden = false)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        var defaults = Activator.CreateInstance(flowType)!;
        foreach (var parameter in FlowParameter.Of(flowType))
        {
            var description = $"{parameter.Help ?? parameter.PropertyName} ({(parameter.Required ? "required" : $"default: {parameter.DefaultJson(defaults)}")}).";
            Option option = parameter.Type == typeof(bool)
                ? new Option<bool>("--" + parameter.Name) { Description = description }
                : new Option<string>("--" + parameter.Name) { Description = description };
            option.Hidden = hidden;
            command.Options.Add(option);
            _parameters.Add((parameter, option));
        }
    }

    /// <summary>The parameter values given on the command line, by property name (or by option name for unknown ones).</summary>
    public Dictionary<string, object?> Values(ParseResult parse)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (parameter, option) in _parameters)
        {
            if (parse.GetResult(option) is { } result)
            {
                values[parameter.PropertyName] = result.GetValueOrDefault<object?>();
            }
        }
        var extra = parse.UnmatchedTokens;
        for (var i = 0; i < extra.Count; i++)
        {
            if (!extra[i].StartsWith("--", StringComparison.Ordinal) || extra[i].Length < 3)
            {
                throw new ArgumentException($"Unexpected argument '{extra[i]}'. Parameters are given as --name value.");
            }
            var hasValue = i + 1 < extra.Count && !extra[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[extra[i][2..]] = hasValue ? extra[++i] : "true";
        }
        return values;
    }
}
