using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class FailureHandlingTests
{
    [Fact]
    public async Task RetryRunsNewAttemptsAndKeepsEveryOne()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<RetryFlow>();

        Assert.True(run.Successful, run.Error);
        var task = run["Flaky"].Task;
        Assert.Equal(2, task.Attempt);
        Assert.Equal(2, task["SucceededOnAttempt"].Get<int>());
        Assert.Equal([RunStatus.Failed, RunStatus.Failed, RunStatus.Succeeded], task.Attempts.Select(a => a.Status));
        Assert.Equal("transient failure 1", task.Attempts[1].Exception!.Message);
        Assert.Equal("attempt 2\n", task.Stdout);
    }

    [Fact]
    public async Task WithRetryAddsRetriesToEveryStep()
    {
        using var store = new TempDatastore();
        Assert.Equal(RunStatus.Failed, (await store.RunAsync<FlakyOnceFlow>()).Status);

        var run = await store.RunAsync<FlakyOnceFlow>(options: store.Options() with { RetryEveryStep = new RetryAttribute { Times = 2 } });
        Assert.True(run.Successful, run.Error);
        Assert.Equal(1, run["Start"].Task.Attempt);
    }

    [Fact]
    public async Task CatchIntoAnExceptionMemberKeepsTheOriginalTypeMessageAndStack()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<CatchIntoExceptionFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.Equal("System.ArgumentOutOfRangeException|row 17 is out of range (Parameter 'Seen')|True", run.Data["Seen"].Get<string>());
        var stored = Assert.IsType<CaughtException>(run["Fragile"].Task["Error"].Get<Exception>());
        Assert.Equal("System.ArgumentOutOfRangeException", stored.OriginalType);
        Assert.Contains("at Sharpflow.Tests.Flows.CatchIntoExceptionFlow.Fragile()", stored.StackTrace);
        Assert.StartsWith("System.ArgumentOutOfRangeException: row 17", stored.ToString());
    }

    [Fact]
    public async Task CatchStoresTheExceptionAndTheFlowContinues()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<CatchFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.Equal("caught System.IO.InvalidDataException: bad input row 17; partial=got this far", run.Data["Result"].Get<string>());
        var fragile = run["Fragile"].Task;
        Assert.Equal(RunStatus.Succeeded, fragile.Status);
        Assert.Equal("bad input row 17", fragile["Error"].Get<ExceptionRecord>().Message);
        Assert.Equal(2, fragile.Attempts.Count(a => a.Status == RunStatus.Failed));
        Assert.Contains("[Catch]", fragile.Stderr);
        Assert.Equal("fragile attempt 1\n", fragile.Stdout);
    }

    [Fact]
    public async Task TimeoutCancelsEachAttemptThenRetryThenCatchApply()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<TimeoutFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.Equal("System.TimeoutException", run.Data["Result"].Get<string>());
        var slow = run["Slow"].Task;
        Assert.Equal(2, slow.Attempts.Count(a => a.Exception?.Type == "System.TimeoutException"));
        Assert.Contains("[Timeout] of 00:00:01", slow.Attempts[0].Exception!.Message);
    }

    [Fact]
    public async Task TimeoutFailsAStepThatIgnoresCancellation()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<StuckFlow>();

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("System.TimeoutException", run["Stuck"].Task.Exception!.Type);
    }

    [Fact]
    public async Task ARetryResumesFromTheLatestCheckpoint()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<CheckpointFlow>();

        Assert.True(run.Successful, run.Error);
        var task = run["Long"].Task;
        Assert.Equal(["first half", "first half done by attempt 0", "second half done by attempt 1"], task["Progress"].Get<List<string>>());
        Assert.Equal("trained weights", task["Restored"].Get<string>());
        Assert.True(Directory.Exists(Path.Combine(store.Root, "CheckpointFlow", run.Id, "Long", task.Id, "_checkpoints", "model")));
    }

    [Fact]
    public async Task TheCliAddsRetriesWithWithRetry()
    {
        using var store = new TempDatastore();
        var plain = await CliTests.InProcessAsync(typeof(FlakyOnceFlow), "run", "--datastore", store.Root);
        var retried = await CliTests.InProcessAsync(typeof(FlakyOnceFlow), "run", "--datastore", store.Root, "--with", "retry:times=1");
        var wrong = await CliTests.InProcessAsync(typeof(FlakyOnceFlow), "run", "--datastore", store.Root, "--with", "retry:tries=1");

        Assert.Equal(1, plain.Code);
        Assert.Equal(0, retried.Code);
        Assert.Equal(2, wrong.Code);
        Assert.Contains("[Retry] has no setting 'tries'. Its settings are: times, minutes_between, from", wrong.Stderr);
    }
}

/// <summary>How a failure reads on the terminal, in `logs` and in `dump`.</summary>
public class FailureReadingTests
{
    [Fact]
    public async Task AFailureShowsTheUsersFramesLiveAndKeepsItsFullTraceInTheTasksLogAndDump()
    {
        using var store = new TempDatastore();
        var (code, stdout, _) = await CliTests.InProcessAsync(typeof(InputOutsideForeachFlow), "run", "--datastore", store.Root);
        Assert.Equal(1, code);
        var lines = stdout.Split('\n');
        var failed = Array.FindIndex(lines, l => l.Contains("Task failed (attempt 1): System.InvalidOperationException", StringComparison.Ordinal));
        Assert.True(failed >= 0, stdout);
        Assert.Contains("at Sharpflow.Tests.Flows.InputOutsideForeachFlow.Start()", lines[failed + 1]);
        Assert.DoesNotContain("Sharpflow.Execution", stdout);
        Assert.DoesNotContain("System.Reflection", stdout);
        var run = new Client.Flow(nameof(InputOutsideForeachFlow), store.Client).LatestRun!;
        Assert.Contains($"resume --origin-run-id {run.Id}", lines.Last(l => l.Length > 0));

        var logs = await CliTests.InProcessAsync(typeof(InputOutsideForeachFlow), "logs", $"{run.Id}/Start", "--datastore", store.Root);
        Assert.Equal(0, logs.Code);
        Assert.Equal("reading my input\n", logs.Stdout);
        Assert.Contains("System.InvalidOperationException", logs.Stderr);
        Assert.Contains("Sharpflow.Execution.TaskRunner", logs.Stderr); // the full trace, for Sharpflow's own bugs

        var dump = await CliTests.InProcessAsync(typeof(InputOutsideForeachFlow), "dump", $"{run.Id}/Start", "--datastore", store.Root);
        Assert.Equal(0, dump.Code);
        Assert.Contains("(Failed)", dump.Stdout);
        Assert.Contains("System.InvalidOperationException:", dump.Stdout);
        Assert.Contains("at Sharpflow.Tests.Flows.InputOutsideForeachFlow.Start()", dump.Stdout);
        Assert.Contains($"logs {run.Id}/Start/", dump.Stdout);
    }

    [Fact]
    public async Task RetriedAndCaughtAttemptsReadAsWhatTheyAreAndCountOnce()
    {
        using var store = new TempDatastore();
        var (code, stdout, _) = await CliTests.InProcessAsync(typeof(CatchFlow), "run", "--datastore", store.Root);
        Assert.Equal(0, code);
        Assert.Contains("Task failed (attempt 1): System.IO.InvalidDataException: bad input row 17", stdout);
        Assert.Contains("Task is starting again (attempt 2).", stdout);
        Assert.Contains("Task failed (attempt 2)", stdout);
        Assert.Contains("Task finished: its failure was caught ([Catch])", stdout);
        Assert.DoesNotContain(stdout.Split('\n'), l => l.Contains("/Fragile/", StringComparison.Ordinal) && l.Contains("finished successfully", StringComparison.Ordinal));
        var progress = stdout.Split('\n').Last(l => l.Contains("Progress (", StringComparison.Ordinal));
        Assert.Contains("Fragile 1/1 done", progress);
        Assert.DoesNotContain("failed", progress);

        var run = new Client.Flow(nameof(CatchFlow), store.Client).LatestRun!;
        var firstAttempt = await CliTests.InProcessAsync(typeof(CatchFlow), "logs", $"{run.Id}/Fragile", "--attempt", "0", "--datastore", store.Root);
        Assert.Equal("fragile attempt 0\n", firstAttempt.Stdout);
        Assert.Contains("bad input row 17", firstAttempt.Stderr);
        var missing = await CliTests.InProcessAsync(typeof(CatchFlow), "logs", $"{run.Id}/Fragile", "--attempt", "5", "--datastore", store.Root);
        Assert.Equal(2, missing.Code);
        Assert.Contains("has no attempt 5; its attempts are 0, 1", missing.Stderr);
    }
}
