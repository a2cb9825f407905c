using System.Text;

namespace Sharpflow.Execution;

/// <summary>
/// Routes Console output to the log of the task whose code wrote it, so tasks running in parallel in one process keep
/// separate stdout/stderr. Installed on first use (and again if a host replaced the console's writers); output
/// outside a task passes through unchanged.
/// </summary>
internal static class TaskOutputCapture
{
    private static readonly AsyncLocal<TaskLog?> CurrentLog = new();
    private static readonly Lock InstallLock = new();
    private static TextWriter? _installedOut;
    private static TextWriter? _installedError;

    private static TextWriter? _originalOut;
    private static TextWriter? _originalError;

    /// <summary>The console's stdout as it was before capture: front ends print here so their output never lands in a task log.</summary>
    public static TextWriter OriginalOut
    {
        get
        {
            EnsureInstalled();
            return _originalOut!;
        }
    }

    /// <summary>The console's stderr as it was before capture.</summary>
    public static TextWriter OriginalError
    {
        get
        {
            EnsureInstalled();
            return _originalError!;
        }
    }

    /// <summary>
    /// Puts the routing writers in front of the console's writers, again when a host has replaced them since (a notebook
    /// kernel swaps Console.Out around its own cell executions).
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            // Compared by reference: Console may hand back a synchronized wrapper of the writer it was given.
            if (!ReferenceEquals(Console.Out, _installedOut))
            {
                _originalOut = Console.Out;
                Console.SetOut(new RoutingWriter(_originalOut, isError: false));
                _installedOut = Console.Out;
            }
            if (!ReferenceEquals(Console.Error, _installedError))
            {
                _originalError = Console.Error;
                Console.SetError(new RoutingWriter(_originalError, isError: true));
                _installedError = Console.Error;
            }
        }
    }

    /// <summary>Sends this async flow's console output to <paramref name="log"/> until the returned scope is disposed.</summary>
    public static IDisposable Begin(TaskLog log)
    {
        EnsureInstalled();
        var previous = CurrentLog.Value;
        CurrentLog.Value = log;
        return new Scope(previous);
    }

    private sealed class Scope(TaskLog? previous) : IDisposable
    {
        public void Dispose() => CurrentLog.Value = previous;
    }

    private sealed class RoutingWriter(TextWriter original, bool isError) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;

        public override void Write(char value) => Route([value]);

        public override void Write(string? value) => Route(value);

        public override void Write(char[] buffer, int index, int count) => Route(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Route(buffer);

        public override void WriteLine(string? value)
        {
            Route(value);
            Route(CoreNewLine);
        }

        public override void Flush() => original.Flush();

        private void Route(ReadOnlySpan<char> text)
        {
            if (CurrentLog.Value is { } log)
            {
                log.Append(isError, text);
            }
            else
            {
                original.Write(text);
            }
        }
    }
}
