using System.Globalization;
using Sharpflow.Compute;

namespace Sharpflow.Execution;

/// <summary>
/// Reads <c>--with</c> values (the CLI's and the notebook's): decorators added to every step from the command line,
/// <c>retry[:times=N,minutes_between=M]</c> or a compute backend <c>NAME[:key=value,...]</c>.
/// </summary>
public static class WithDecorators
{
    private const string Retry = "retry";

    /// <summary>
    /// The compute backend request every step runs with (<c>slurm:partition=gpu</c>), or null; checked now, so a
    /// backend whose package is missing, or a setting its attribute lacks, is refused before anything runs.
    /// </summary>
    public static string? ComputeBackend(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var requests = values.Where(v => !IsRetry(v)).Select(ComputeRequest.Parse).ToArray();
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

    /// <summary>The retry to add to every step (<c>retry</c>, or <c>retry:times=N,minutes_between=M</c>), or null.</summary>
    public static RetryAttribute? RetryEveryStep(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        RetryAttribute? retry = null;
        foreach (var value in values.Where(IsRetry))
        {
            retry = new RetryAttribute();
            foreach (var (key, setting) in ComputeRequest.Parse(value).Settings)
            {
                switch (key)
                {
                    case "times" when int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var times):
                        retry.Times = times;
                        break;
                    case "minutes_between" when double.TryParse(setting, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes >= 0:
                        retry.MinutesBetween = minutes;
                        break;
                    default:
                        throw new ArgumentException($"--with {value}: '{key}={setting}' is not valid; use times=N or minutes_between=M.");
                }
            }
        }
        return retry;
    }

    private static bool IsRetry(string value) => value == Retry || value.StartsWith(Retry + ":", StringComparison.Ordinal);
}
