using System.Text;

namespace Sharpflow.Execution;

/// <summary>The captured stdout and stderr of one task attempt; complete lines are also reported as they arrive.</summary>
internal sealed class TaskLog(Action<string, string>? onLine)
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _pendingOut = new();
    private readonly StringBuilder _pendingErr = new();
    private readonly Lock _lock = new();

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public void Append(bool isError, ReadOnlySpan<char> text)
    {
        List<string>? lines = null;
        lock (_lock)
        {
            (isError ? _stderr : _stdout).Append(text);
            var pending = isError ? _pendingErr : _pendingOut;
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    (lines ??= []).Add(pending.ToString().TrimEnd('\r'));
                    pending.Clear();
                }
                else
                {
                    pending.Append(c);
                }
            }
        }
        if (lines is not null && onLine is not null)
        {
            foreach (var line in lines)
            {
                onLine(isError ? "stderr" : "stdout", line);
            }
        }
    }

    /// <summary>
    /// Keeps <paramref name="text"/> in the stderr log without reporting it line by line (a failure's full trace: the
    /// live output shows the failure once, the log keeps all of it). Call it after <see cref="Flush"/>.
    /// </summary>
    public void Keep(string text)
    {
        lock (_lock)
        {
            _stderr.Append(text);
        }
    }

    /// <summary>Reports any last line that did not end with a newline.</summary>
    public void Flush()
    {
        string? outLine, errLine;
        lock (_lock)
        {
            outLine = _pendingOut.Length > 0 ? _pendingOut.ToString() : null;
            errLine = _pendingErr.Length > 0 ? _pendingErr.ToString() : null;
            _pendingOut.Clear();
            _pendingErr.Clear();
        }
        if (outLine is not null)
        {
            onLine?.Invoke("stdout", outLine);
        }
        if (errLine is not null)
        {
            onLine?.Invoke("stderr", errLine);
        }
    }
}
