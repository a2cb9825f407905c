using Sharpflow.Client;
using Sharpflow.Metadata;

namespace Sharpflow.Tests;

/// <summary>Process isolation through the real CLI: each attempt runs in a child process of its own.</summary>
public class IsolationTests
{
    private static string TestFlowsDll => ChildProcess.TestFlowsDll;

    [Fact]
    public async Task AnExitingTaskFailsOnlyItsAttemptAndTheRetrySucceeds()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, TestFlowsDll, "CrashyFlow", "run", "--isolation", "process", "--datastore", store.Root);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("CrashyFlow", store.Client).LatestRun!;
        Assert.Equal(12, run.Data["Total"].Get<int>());
        var parentPid = run["Start"].Task["ProcessId"].Get<int>();
        var pids = run.Data["ProcessIds"].Get<List<int>>();
        Assert.Equal(3, pids.Distinct().Count());
        Assert.DoesNotContain(parentPid, pids);
        var second = run["Body"].Tasks.Single(t => t.ForeachIndexPath == "1");
        Assert.Equal(["Sharpflow.TaskProcessExited", null], second.Attempts.Select(a => a.Exception?.Type));
        Assert.Contains("exited with code 3", second.Attempts[0].Exception!.Message);
        Assert.Contains("item 2 attempt 0", result.Stdout);
    }

    [Fact]
    public async Task ATaskThatKeepsExitingFailsTheRunWithASummary()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, TestFlowsDll, "CrashyFlow", "run", "--isolation", "process", "--crash-attempts", "5", "--max-workers", "3", "--datastore", store.Root);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Sharpflow.TaskProcessExited", result.Stdout);
        var run = new Flow("CrashyFlow", store.Client).LatestRun!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("exited with code 3", run.Error);
        // All three Body tasks start together (three workers); the siblings that were already running still finish.
        var failed = run["Body"].Tasks.Single(t => !t.Successful);
        Assert.Equal("1", failed.ForeachIndexPath);
        Assert.Equal(2, failed.Attempts.Count);
        Assert.Equal(2, run["Body"].Tasks.Count(t => t.Successful));
    }
}
