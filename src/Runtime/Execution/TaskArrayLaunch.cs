using Sharpflow.Compute;

namespace Sharpflow.Execution;

/// <summary>
/// The first attempts of the tasks one foreach fans out to a step on an <see cref="IArrayComputeBackend"/>, gathered into
/// one array launch. Each of the <c>members</c> tasks either joins with its attempt or withdraws (it was cloned by a
/// resume, failed before launching, or was never started); once every member has done one or the other, the joined
/// attempts are launched together and each member's wait ends when its own element exits. Retries of failed elements
/// are launched one by one, at most <c>--max-workers</c> at a time (a foreach that fails across the board does not
/// submit and poll thousands of single jobs at once).
/// </summary>
internal sealed class TaskArrayLaunch
{
    private readonly IArrayComputeBackend _backend;
    private readonly CancellationToken _cancellation;
    private readonly TaskAttempt?[] _attempts;
    private readonly TaskCompletionSource<(int ExitCode, string Stderr)>[] _exits;
    private readonly bool[] _settled;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _retrySlots;
    private int _unsettled;

    public TaskArrayLaunch(IArrayComputeBackend backend, int members, int retriesAtOnce, CancellationToken cancellation)
    {
        _retrySlots = new SemaphoreSlim(Math.Max(1, retriesAtOnce));
        _backend = backend;
        _cancellation = cancellation;
        _attempts = new TaskAttempt?[members];
        _settled = new bool[members];
        _exits = Enumerable.Range(0, members).Select(_ => new TaskCompletionSource<(int, string)>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        _unsettled = members;
    }

    /// <summary>Joins member <paramref name="index"/>'s attempt; completes with its exit code and stderr when its element ends.</summary>
    public Task<(int ExitCode, string Stderr)> LaunchAsync(int index, TaskAttempt attempt)
    {
        lock (_lock)
        {
            if (_settled[index])
            {
                throw new InvalidOperationException($"Task {attempt.TaskId} of step '{attempt.Step}' joined its array launch twice: a Sharpflow bug, please report it.");
            }
            _attempts[index] = attempt;
            Settle(index);
        }
        return _exits[index].Task;
    }

    /// <summary>Launches a later attempt of a member alone, once fewer than the allowed number of retries are under way.</summary>
    public async Task<(int ExitCode, string Stderr)> LaunchRetryAsync(TaskAttempt attempt)
    {
        await _retrySlots.WaitAsync(_cancellation).ConfigureAwait(false);
        try
        {
            return await _backend.LaunchAsync(attempt, _cancellation).ConfigureAwait(false);
        }
        finally
        {
            _retrySlots.Release();
        }
    }

    /// <summary>Member <paramref name="index"/> will not join (no-op once it has).</summary>
    public void Withdraw(int index)
    {
        lock (_lock)
        {
            if (!_settled[index])
            {
                Settle(index);
            }
        }
    }

    private void Settle(int index)
    {
        _settled[index] = true;
        if (--_unsettled == 0)
        {
            _ = Task.Run(SubmitAsync, CancellationToken.None);
        }
    }

    private async Task SubmitAsync()
    {
        var joined = Enumerable.Range(0, _attempts.Length).Where(i => _attempts[i] is not null).ToArray();
        if (joined.Length == 0)
        {
            return;
        }
        try
        {
            await _backend.LaunchArrayAsync(joined.Select(i => _attempts[i]!).ToArray(),
                (element, exitCode, stderr) => _exits[joined[element]].TrySetResult((exitCode, stderr)), _cancellation).ConfigureAwait(false);
            foreach (var i in joined)
            {
                _exits[i].TrySetException(new InvalidOperationException(
                    $"The {_backend.Name} array launch of step '{_attempts[i]!.Step}' ended without reporting task {_attempts[i]!.TaskId}'s exit."));
            }
        }
        catch (Exception e)
        {
            foreach (var i in joined)
            {
                _exits[i].TrySetException(e); // every member's attempt fails with the launch's error
            }
        }
    }
}

/// <summary>A task's place in a <see cref="TaskArrayLaunch"/>.</summary>
internal sealed record TaskArrayMember(TaskArrayLaunch Launch, int Index);
