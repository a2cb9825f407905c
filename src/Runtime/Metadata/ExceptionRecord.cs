using System.Diagnostics;
using System.Reflection;

namespace Sharpflow.Metadata;

/// <summary>
/// A failure as stored: the exception's type, message and full trace (<see cref="StackTrace"/>, as
/// <see cref="Exception.ToString"/> writes it), and the frames of the user's own code (<see cref="UserFrames"/>), which
/// is what a person reading the failure wants first.
/// </summary>
public sealed record ExceptionRecord(string Type, string Message, string StackTrace)
{
    private static readonly Assembly Runtime = typeof(ExceptionRecord).Assembly;

    /// <summary>
    /// The stack frames in the user's code (no Sharpflow internals, reflection or async plumbing), innermost first, one
    /// per line; empty when none are known. Older records have none: read <see cref="StackTrace"/>.
    /// </summary>
    public string UserFrames { get; init; } = "";

    /// <summary>The trace to show a person: the user's frames, or the full trace when none are known.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ReadableTrace => UserFrames.Length > 0 ? UserFrames : StackTrace;

    /// <summary>Captures an exception, unwrapping reflection and aggregate wrappers around a single cause.</summary>
    public static ExceptionRecord From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        while (exception is TargetInvocationException or AggregateException { InnerExceptions.Count: 1 }
               && exception.InnerException is { } inner)
        {
            exception = inner;
        }
        return new ExceptionRecord(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.ToString())
        {
            UserFrames = UserFramesOf(exception),
        };
    }

    /// <summary>The user's frames of <paramref name="exception"/>: frames of Sharpflow itself and of the runtime's plumbing are left out.</summary>
    private static string UserFramesOf(Exception exception)
    {
        var frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .Where(frame => frame.GetMethod() is { } method && IsUsers(method))
            .ToArray();
        return frames.Length == 0 ? "" : new StackTrace(frames).ToString().TrimEnd();
    }

    private static bool IsUsers(MethodBase method)
    {
        var type = method.DeclaringType;
        if (type is null || type.Assembly == Runtime)
        {
            return false;
        }
        var space = type.Namespace ?? "";
        return !(type.Assembly == typeof(object).Assembly
            && (space.StartsWith("System.Reflection", StringComparison.Ordinal) || space.StartsWith("System.Runtime", StringComparison.Ordinal)
                || space.StartsWith("System.Threading", StringComparison.Ordinal)));
    }
}
