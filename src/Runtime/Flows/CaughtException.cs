using Sharpflow.Metadata;

namespace Sharpflow;

/// <summary>
/// An exception as it was recorded: a failure caught by <see cref="CatchAttribute"/> into an <see cref="Exception"/>
/// member, or any exception saved as an artifact and read back. Its message and stack trace are the original's; its
/// original type is <see cref="OriginalType"/> (the exception object itself could not be stored).
/// </summary>
public sealed class CaughtException : Exception
{
    private readonly string _stackTrace;

    /// <summary>The exception <paramref name="record"/> describes.</summary>
    public CaughtException(ExceptionRecord record)
        : base((record ?? throw new ArgumentNullException(nameof(record))).Message)
    {
        Record = record;
        _stackTrace = record.StackTrace;
    }

    /// <summary>The exception as stored: type, message, stack trace.</summary>
    public ExceptionRecord Record { get; }

    /// <summary>The full name of the exception's type (e.g. <c>System.InvalidOperationException</c>).</summary>
    public string OriginalType => Record.Type;

    /// <inheritdoc />
    public override string StackTrace => _stackTrace;

    /// <inheritdoc />
    public override string ToString() => _stackTrace.StartsWith(OriginalType, StringComparison.Ordinal) ? _stackTrace : $"{OriginalType}: {Message}\n{_stackTrace}";
}
