using System.Diagnostics;
using System.Text.Json;
using Sharpflow.Client;
using Sharpflow.Metadata;

namespace Sharpflow.Tests;

/// <summary>A run killed with SIGKILL in the middle of a foreach, then resumed by a new process.</summary>
public class CrashSafetyTests
{
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
        Assert.Equal(RunStatus.Running, origin.Status);
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
