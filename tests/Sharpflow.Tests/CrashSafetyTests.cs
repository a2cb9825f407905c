using System.Diagnostics;
using System.Text.Json;
using Sharpflow.Client;
using Sharpflow.Metadata;

namespace Sharpflow.Tests;

/// <summary>Runs whose process dies (SIGKILL, Environment.Exit, a crash after the last step) show as crashed or failed, and resume.</summary>
public class CrashSafetyTests
{
    [Theory]
    [InlineData(1)]   // Start finished
    [InlineData(4)]   // in the middle of the foreach
    [InlineData(13)]  // every body task finished, the join not yet
    [InlineData(14)]  // the join finished
    [InlineData(15)]  // End finished: the run record may or may not be written yet
    public async Task ARunKilledAtAnyMomentIsCrashedOrFinishedAndResumesToTheCleanResult(int finishedTasks)
    {
        using var store = new TempDatastore();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = store.Root };
        foreach (var arg in new[] { TestFlowsDll, "SlowForeachFlow", "run", "--datastore", store.Root, "--max-workers", "2", "--delay-ms", "20" })
        {
            start.ArgumentList.Add(arg);
        }
        using (var child = Process.Start(start)!)
        {
            _ = child.StandardError.ReadToEndAsync();
            var finished = 0;
            while (finished < finishedTasks && await child.StandardOutput.ReadLineAsync() is { } line)
            {
                finished += line.Contains("Task finished successfully", StringComparison.Ordinal) ? 1 : 0;
            }
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        var origin = new Flow("SlowForeachFlow", store.Client).LatestRun!;
        Assert.Contains(origin.Status, new[] { RunStatus.Crashed, RunStatus.Succeeded });
        var result = origin;
        if (origin.Status == RunStatus.Crashed)
        {
            var resume = await ChildProcess.DotnetAsync(store.Root, null, TestFlowsDll, "SlowForeachFlow", "resume", "--datastore", store.Root, "--json", "--quiet");
            Assert.True(resume.ExitCode == 0, $"after {finishedTasks} tasks: {resume.Stdout}{resume.Stderr}");
            using var json = JsonDocument.Parse(resume.Stdout);
            result = new Flow("SlowForeachFlow", store.Client)[json.RootElement.GetProperty("runId").GetString()!];
            Assert.Equal(origin.Id, result.Record.OriginRunId);
        }
        Assert.True(result.Successful, result.Error);
        Assert.Equal(650, result.Data["Total"].Get<long>());
    }

    [Fact]
    public async Task ATaskThatEndsBeforeTheNextTickWritesOnlyItsFinalRecord()
    {
        using var store = new TempDatastore();
        var counting = new CountingBlobStore(store.Root);
        var run = await store.RunAsync<Flows.SpinFlow>(options: store.Options() with { BlobStore = counting, RunningRecordsEvery = TimeSpan.FromHours(1) });
        Assert.True(run.Successful, run.Error);
        var records = counting.Saved.Where(k => k.EndsWith("/_meta/task.json", StringComparison.Ordinal)).ToArray();
        Assert.Equal(run.Steps.Sum(s => s.Tasks.Count), records.Length);
        Assert.Equal(records.Length, records.Distinct().Count()); // one write per task: no running record replaced later
    }

    [Fact]
    public async Task ATaskStillRunningAtATickIsSeenRunningByAnotherClientThenFinished()
    {
        using var store = new TempDatastore();
        var counting = new CountingBlobStore(store.Root);
        var running = store.RunAsync<Flows.GatedFlow>(options: store.Options() with { BlobStore = counting });
        try
        {
            // Another process's view (a client of its own) until the run's lifetime has written Work's running record.
            FlowTask? work = null;
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (work is null && DateTime.UtcNow < deadline && !running.IsCompleted)
            {
                work = new Flow(nameof(Flows.GatedFlow), store.Client).LatestRun?.Steps.FirstOrDefault(s => s.Name == "Work")?.Tasks.SingleOrDefault();
                await Task.Delay(50);
            }
            Assert.NotNull(work);
            Assert.Equal(RunStatus.Running, work.Status);
            Assert.False(work.Finished);
        }
        finally
        {
            Flows.GatedFlow.Gate.Release();
        }
        var run = await running;
        Assert.True(run.Successful, run.Error);
        var finished = new Flow(nameof(Flows.GatedFlow), store.Client)[run.Id]["Work"].Task;
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.Equal(42, finished["Result"].Get<int>());
        Assert.Equal(2, counting.Saved.Count(k => k.Contains("/Work/", StringComparison.Ordinal) && k.EndsWith("/_meta/task.json", StringComparison.Ordinal))); // running, then final
    }

    [Fact]
    public async Task ARunWhoseProcessDiedAfterEndButBeforeItsRecordIsCrashedAndResumesToTheSameResult()
    {
        using var store = new TempDatastore();
        var finished = await store.RunAsync<Flows.SpinFlow>();
        // Exactly what a process killed between End's task record and the run record leaves: every task succeeded,
        // the run still "running", its owner gone.
        var gone = Process.Start(new ProcessStartInfo("true"))!;
        await gone.WaitForExitAsync();
        var path = Path.Combine(store.Root, nameof(Flows.SpinFlow), finished.Id, "_meta", "run.json");
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(finished.Record with
        {
            Status = RunStatus.Running,
            FinishedAt = null,
            Owner = new RunOwner(Environment.MachineName, gone.Id, DateTimeOffset.UtcNow.AddMinutes(-1)),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } }));

        var crashed = new Flow(nameof(Flows.SpinFlow), store.Client).LatestRun!;
        Assert.Equal(RunStatus.Crashed, crashed.Status);
        var resumed = await new Execution.Runner<Flows.SpinFlow>(store.Options()).ResumeAsync();

        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(crashed.Id, resumed.Record.OriginRunId);
        Assert.Null(resumed["End"].Task.Record.Origin); // End ran again and the run recorded its end
        Assert.All(resumed.Steps.Where(s => s.Name != "End").SelectMany(s => s.Tasks), t => Assert.NotNull(t.Record.Origin));
        Assert.Equal(finished.Data["Total"].Get<int>(), resumed.Data["Total"].Get<int>());
    }

    [Fact]
    public async Task ARunThatIsStillRunningIsNotResumedAndAnOwnerOnAnotherHostIsJudgedByItsHeartbeat()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<Flows.SpinFlow>();
        var metadata = new MetadataStore(new Datastore.LocalBlobStore(store.Root));
        var record = run.Record with { Status = RunStatus.Running, FinishedAt = null };

        await metadata.WriteRunAsync(record with { Owner = RunOwner.Current });
        var alive = new Flow(nameof(Flows.SpinFlow), store.Client)[run.Id];
        Assert.Equal(RunStatus.Running, alive.Status);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new Execution.Runner<Flows.SpinFlow>(store.Options()).ResumeAsync());
        Assert.Contains("is still running", refused.Message);

        var elsewhere = record with { Owner = new RunOwner("another-host", 4242, DateTimeOffset.UtcNow.AddHours(-1)) };
        await metadata.WriteRunAsync(elsewhere);
        await metadata.WriteHeartbeatAsync(elsewhere, DateTimeOffset.UtcNow.AddSeconds(-20));
        Assert.Equal(RunStatus.Running, new Flow(nameof(Flows.SpinFlow), store.Client)[run.Id].Status);
        await metadata.WriteHeartbeatAsync(elsewhere, DateTimeOffset.UtcNow - RunOwner.HeartbeatExpiry - TimeSpan.FromSeconds(1));
        var silent = new Flow(nameof(Flows.SpinFlow), store.Client)[run.Id];
        Assert.Equal(RunStatus.Crashed, silent.Status);
        Assert.True(silent.LastSeen < DateTimeOffset.UtcNow - RunOwner.HeartbeatExpiry);
        Assert.Contains($"process {RunOwner.Current.ProcessId} on {RunOwner.Current.Host}", refused.Message); // who to stop
        Assert.Contains("--origin-run-id", refused.Message);
    }

    [Fact]
    public async Task ARunLeftRunningWithoutAnOwnerRecordIsResumed()
    {
        // Runs written by an older Sharpflow (or a deployed run's steps) carry no owner: nothing says they are alive.
        using var store = new TempDatastore();
        var run = await store.RunAsync<Flows.SpinFlow>();
        await new MetadataStore(new Datastore.LocalBlobStore(store.Root)).WriteRunAsync(run.Record with { Status = RunStatus.Running, FinishedAt = null, Owner = null });

        var resumed = await new Execution.Runner<Flows.SpinFlow>(store.Options()).ResumeAsync();

        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(run.Id, resumed.Record.OriginRunId);
        Assert.Equal(run.Data["Total"].Get<int>(), resumed.Data["Total"].Get<int>());
    }

    [Fact]
    public async Task EnvironmentExitInAnInProcessStepFailsTheTaskAndTheRunWithWhyAndKeepsItsOutput()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, TestFlowsDll, "CrashyFlow", "run", "--datastore", store.Root, "--max-workers", "1");
        Assert.Equal(3, result.ExitCode); // the step's own exit code

        var run = new Flow("CrashyFlow", store.Client).LatestRun!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("exit code 3", run.Error);
        Assert.Contains("--isolation process", run.Error);
        var task = run["Body"].Tasks.Single(t => !t.Successful);
        Assert.Equal(RunStatus.Failed, task.Status);
        Assert.Equal("1", task.ForeachIndexPath);
        Assert.Equal("ProcessExit", task.Exception!.Type);
        Assert.StartsWith("item 2 attempt 0 in process", task.Stdout);
        Assert.Equal($"Body/{task.Id}", run.Record.FailedTask);
    }

    private static string TestFlowsDll => ChildProcess.TestFlowsDll;

    [Fact]
    public async Task AKilledRunResumesInANewProcessAndKeepsEveryFinishedArtifact()
    {
        using var store = new TempDatastore();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = store.Root };
        foreach (var arg in new[] { TestFlowsDll, "SlowForeachFlow", "run", "--datastore", store.Root, "--max-workers", "2" })
        {
            start.ArgumentList.Add(arg);
        }
        using var child = Process.Start(start)!;
        var finishedBodies = 0;
        while (finishedBodies < 4 && await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains("/Body/", StringComparison.Ordinal) && line.Contains("Task finished successfully", StringComparison.Ordinal))
            {
                finishedBodies++;
            }
        }
        child.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no final records
        await child.WaitForExitAsync();
        Assert.Equal(4, finishedBodies);

        var origin = new Flow("SlowForeachFlow", store.Client).LatestRun!;
        Assert.Equal(RunStatus.Running, origin.Record.Status); // what the killed process left
        Assert.Equal(RunStatus.Crashed, origin.Status); // what everyone sees: its owner is gone
        Assert.All(origin["Body"].Tasks.Where(t => !t.Successful), t => Assert.Equal(RunStatus.Crashed, t.Status));
        var bodies = origin["Body"].Tasks;
        Assert.True(bodies.Count(t => t.Successful) >= 4);
        Assert.True(bodies.Count < 12, "the kill came before every body task started");
        foreach (var task in origin.Steps.SelectMany(s => s.Tasks).Where(t => t.Successful))
        {
            foreach (var artifact in task.Artifacts)
            {
                Assert.NotNull(artifact.Value); // every load re-hashes the blob and throws if it is damaged
            }
        }
        Assert.Equal(99_999 * 0.5f, origin["Start"].Task["Weights"].Get<float[]>()[^1]);

        var resume = await ChildProcess.DotnetAsync(store.Root, null, TestFlowsDll, "SlowForeachFlow", "resume", "--datastore", store.Root, "--json", "--quiet");
        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        using var json = JsonDocument.Parse(resume.Stdout);
        Assert.Equal(origin.Id, json.RootElement.GetProperty("originRunId").GetString());

        var resumed = new Flow("SlowForeachFlow", store.Client)[json.RootElement.GetProperty("runId").GetString()!];
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(650, resumed.Data["Total"].Get<long>());
        Assert.Equal($"{origin.Id}/Start/{origin["Start"].Task.Id}", resumed["Start"].Task.Record.Origin);
        Assert.Equal(origin["Start"].Task["Weights"].Hash, resumed["Start"].Task["Weights"].Hash);
        Assert.Equal(12, resumed["Body"].Tasks.Count(t => t.Successful && t.Record.Origin is null));
    }
}
