namespace Sharpflow;

/// <summary>
/// Runs the deployed flow on a schedule (a <c>CronWorkflow</c> on Argo Workflows): a cron expression, or
/// <see cref="Hourly"/>/<see cref="Daily"/>/<see cref="Weekly"/>. Local runs ignore it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ScheduleAttribute : Attribute
{
    /// <summary>A five-field cron expression (minute hour day-of-month month day-of-week), e.g. <c>0 6 * * 1-5</c>.</summary>
    public string? Cron { get; set; }

    /// <summary>At the start of every hour.</summary>
    public bool Hourly { get; set; }

    /// <summary>At midnight every day.</summary>
    public bool Daily { get; set; }

    /// <summary>At midnight every Sunday.</summary>
    public bool Weekly { get; set; }

    /// <summary>An IANA time zone for the schedule (e.g. <c>Europe/Amsterdam</c>); the cluster's when unset.</summary>
    public string? Timezone { get; set; }

    /// <summary>The cron expression this attribute stands for; a clear error names the flow when it is not exactly one valid schedule.</summary>
    public string CronExpression(string flow)
    {
        var given = new[] { Cron is not null, Hourly, Daily, Weekly }.Count(b => b);
        if (given != 1)
        {
            throw new ArgumentException($"Flow '{flow}': [Schedule] needs exactly one of Cron, Hourly, Daily or Weekly (it has {given}).");
        }
        if (Cron is { } cron)
        {
            var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 5 || fields.Any(f => f.Any(c => !(char.IsAsciiDigit(c) || c is '*' or '/' or ',' or '-' || char.IsAsciiLetter(c)))))
            {
                throw new ArgumentException($"Flow '{flow}': [Schedule(Cron = \"{cron}\")] is not a five-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 6 * * 1-5\".");
            }
            return string.Join(' ', fields);
        }
        return Hourly ? "0 * * * *" : Daily ? "0 0 * * *" : "0 0 * * 0";
    }
}
