using System.Globalization;

namespace Sharpflow.Cli;

/// <summary>Parses <c>--with</c> values: decorators added to every step from the command line.</summary>
internal static class WithDecorators
{
    /// <summary>The compute backends <c>--with</c> accepts: every step runs there unless it names its own.</summary>
    public static readonly IReadOnlyList<string> Backends = ["slurm", "ssh", "kubernetes"];

    /// <summary>The compute backend to run every step on (<c>--with slurm</c>), or null.</summary>
    public static string? Backend(IEnumerable<string> values) => values.LastOrDefault(v => Backends.Contains(v));

    /// <summary>The retry to add to every step (<c>retry</c>, or <c>retry:times=N,minutes_between=M</c>), or null.</summary>
    public static RetryAttribute? Retry(IEnumerable<string> values)
    {
        RetryAttribute? retry = null;
        foreach (var value in values.Where(v => !Backends.Contains(v)))
        {
            var (name, arguments) = value.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (value[..colon], value[(colon + 1)..]) : (value, "");
            if (name != "retry")
            {
                throw new ArgumentException($"--with {value}: unknown decorator '{name}'. Supported: retry, and the compute backends {string.Join(", ", Backends)}.");
            }
            retry = new RetryAttribute();
            foreach (var pair in arguments.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                switch (parts[0].Trim())
                {
                    case "times" when parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var times):
                        retry.Times = times;
                        break;
                    case "minutes_between" when parts.Length == 2 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var minutes):
                        retry.MinutesBetween = minutes;
                        break;
                    default:
                        throw new ArgumentException($"--with {value}: '{pair}' is not valid; use times=N or minutes_between=M.");
                }
            }
        }
        return retry;
    }
}
