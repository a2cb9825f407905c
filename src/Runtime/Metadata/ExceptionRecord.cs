namespace Sharpflow.Metadata;

/// <summary>An exception as stored with a failed task: type, message and stack trace (inner exceptions included).</summary>
public sealed record ExceptionRecord(string Type, string Message, string StackTrace)
{
    /// <summary>Captures an exception, unwrapping reflection and aggregate wrappers around a single cause.</summary>
    public static ExceptionRecord From(Exception exception)
    {
        while (exception is System.Reflection.TargetInvocationException or AggregateException { InnerExceptions.Count: 1 }
               && exception.InnerException is { } inner)
        {
            exception = inner;
        }
        return new ExceptionRecord(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.ToString());
    }
}
