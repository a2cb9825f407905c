using System.Text;
using Sharpflow.S3;
using System.Diagnostics;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Packaging;

namespace Sharpflow.Tests;

/// <summary>
/// A real one-node Slurm cluster on loopback, private to this test run (tests/slurm/start-slurm.sh: its own munged,
/// slurmctld and slurmd on free ports, state and config in a temporary folder, two GPUs declared through gres.conf).
/// This fixture owns the script's process and ends it with its daemons; tests and the runs they start reach the cluster
/// through <c>SLURM_CONF</c>. Installs slurm-wlm and munge first when they are missing (<see cref="SystemPackages"/>).
/// </summary>
public sealed class SlurmCluster : IAsyncLifetime
{
    private Process? _cluster;
    private EnvironmentScope? _environment;

    public string State { get; } = Directory.CreateTempSubdirectory("sharpflow-slurm-").FullName;

    public async Task InitializeAsync()
    {
        await SystemPackages.EnsureAsync("The Slurm tests", ["slurmctld", "slurmd", "sbatch", "munged"], "slurm-wlm", "munge");
        var failures = new System.Text.StringBuilder();
        for (var attempt = 0; attempt < 3 && _cluster is null; attempt++)
        {
            // Ports free a moment ago may be taken by the time the daemons bind them: then they exit and others are tried.
            var ports = new[] { Loopback.FreePort(), Loopback.FreePort() };
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])[Path.Combine(ChildProcess.RepositoryRoot(), "tests", "slurm", "start-slurm.sh"), State, .. ports.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))])
            {
                start.ArgumentList.Add(argument);
            }
            var cluster = Process.Start(start)!;
            var stderr = cluster.StandardError.ReadToEndAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? line;
            do
            {
                try
                {
                    line = await cluster.StandardOutput.ReadLineAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    line = null; // not up after two minutes: reported below with its logs
                }
            }
            while (line is not null && line != "slurm up");
            if (line == "slurm up")
            {
                _cluster = cluster;
                _environment = new EnvironmentScope(new Dictionary<string, string> { ["SLURM_CONF"] = Path.Combine(State, "slurm.conf") });
                break;
            }
            cluster.Kill(entireProcessTree: true);
            await cluster.WaitForExitAsync();
            failures.AppendLine($"ports {string.Join(", ", ports)}: {await stderr}");
            cluster.Dispose();
        }
        Assert.True(_cluster is not null, $"The Slurm test cluster did not start (it needs root and the packages slurm-wlm and munge):\n{failures}");
    }

    public async Task DisposeAsync()
    {
        _environment?.Dispose();
        if (_cluster is { } cluster)
        {
            // SIGTERM to the script this fixture started: it cancels the jobs left and stops its daemons.
            await ChildProcess.RunAsync("kill", "/", null, "-TERM", cluster.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await cluster.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                cluster.Kill(entireProcessTree: true); // it did not stop: its daemons at least go
                await cluster.WaitForExitAsync();
            }
            cluster.Dispose();
        }
        Directory.Delete(State, recursive: true);
    }
}

/// <summary>Steps offloaded to Slurm: packaged, submitted with their GPUs, logs streamed back, artifacts in the shared (S3) datastore.</summary>
[Collection(S3Collection.Name)]
public class SlurmTests(S3Server server) : IClassFixture<SlurmCluster>
{
    [Fact]
    public async Task AGpuStepRunsAsOneSlurmJobPerTaskWithTheirOwnGpusAndARemoteFailureIsRetried()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var environment = RemoteEnvironment(work);
        var result = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "GpuFlow", "run",
            "--datastore", root, "--max-workers", "3", "--fail-first", "true");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("GpuFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        Assert.True(run.Successful, run.Error);
        Assert.Equal("", run["Start"].Task["Job"].Get<string>()); // Start ran here
        var train = run["Train"].Tasks;
        Assert.Equal(3, train.Count);
        Assert.All(train, t => Assert.NotEqual("", t["Job"].Get<string>())); // every Train task ran in a Slurm job
        Assert.Equal(3, train.Select(t => t["Job"].Get<string>()).Distinct().Count());
        Assert.All(train, t => Assert.Equal("", t["ArrayJob"].Get<string>())); // [Slurm(JobArray = false)]: one job per task, no array
        Assert.All(train, t => Assert.Contains(t["Gpus"].Get<string>(), new[] { "0", "1" })); // one GPU each, from gres.conf
        Assert.All(train, t => Assert.Equal((t["Job"].Get<string>(), t["Gpus"].Get<string>()), (t.Placement["slurm_job_id"], t.Placement["gpus"]))); // recorded with the task
        Assert.All(train, t => Assert.Contains($"(status) Submitted as Slurm job {t["Job"].Get<string>()}.", result.Stdout)); // and said live
        Assert.Equal(2, train.Select(t => t["Gpus"].Get<string>()).Distinct().Count()); // concurrent jobs got different GPUs
        // Three GPU jobs were submitted at once on a node with two GPUs: they did not all run at the same time.
        Assert.True(train.Max(t => t.StartedAt) >= train.Min(t => t.FinishedAt!.Value) - TimeSpan.FromMilliseconds(250),
            string.Join("; ", train.Select(t => $"{t.StartedAt:HH:mm:ss.fff}-{t.FinishedAt:HH:mm:ss.fff}")));
        var retried = train.Single(t => t["Item"].Get<int>() == 1);
        Assert.Equal(2, retried.Attempts.Count); // the remote failure was retried
        Assert.Equal("System.InvalidOperationException", retried.Attempts[0].Exception?.Type);
        Assert.Contains("item 1 on GPU", retried.Stdout); // the job's output came back
        Assert.Contains("Train", result.Stdout); // live progress from the jobs' events
        Assert.NotEmpty(await CodePackage.ListAsync(DatastoreLocation.Open(root), "GpuFlow")); // the code the jobs ran
    }

    [Fact]
    public async Task AForeachOnSlurmIsOneJobArrayNotCappedByLocalWorkersAndAFailedElementIsRetriedAlone()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var environment = RemoteEnvironment(work);
        var result = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "ArrayGpuFlow", "run",
            "--datastore", root, "--max-workers", "1", "--width", "24", "--fail-item", "7");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("ArrayGpuFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        Assert.True(run.Successful, run.Error);
        Assert.Equal(Enumerable.Range(0, 24).Sum(i => (long)i * i), run.Data["Total"].Get<long>());
        var train = run["Train"].Tasks;
        Assert.Equal(24, train.Count);
        // Every first attempt went in one sbatch call (one array job, even with --max-workers 1), element i running item i.
        var firstTries = train.Where(t => t["Item"].Get<int>() != 7).ToArray();
        var arrayJob = Assert.Single(firstTries.Select(t => t["ArrayJob"].Get<string>()).Distinct());
        Assert.NotEqual("", arrayJob);
        Assert.All(firstTries, t => Assert.Equal(t["Item"].Get<int>().ToString(System.Globalization.CultureInfo.InvariantCulture), t["ArrayIndex"].Get<string>()));
        Assert.Equal(23, firstTries.Select(t => t["Job"].Get<string>()).Distinct().Count()); // each element is a job of its own
        Assert.All(train, t => Assert.Contains(t["Gpus"].Get<string>(), new[] { "0", "1" })); // one GPU each, from gres.conf
        // The failed element was retried alone: a job of its own, outside the array.
        var retried = train.Single(t => t["Item"].Get<int>() == 7);
        Assert.Equal(2, retried.Attempts.Count);
        Assert.Equal("System.InvalidOperationException", retried.Attempts[0].Exception?.Type);
        Assert.Equal("", retried["ArrayJob"].Get<string>());
        Assert.NotEqual("", retried["Job"].Get<string>());
        Assert.Contains($"(array {arrayJob} element 7)", retried.Log("stdout", attempt: 0)); // the element's output came back
        Assert.Contains("item 3 on GPU", train.Single(t => t["Item"].Get<int>() == 3).Stdout);
        var state = await ChildProcess.RunAsync("scontrol", work.Root, null, "show", "job", arrayJob, "-o");
        Assert.Contains("ArrayTaskThrottle=8", state.Stdout); // [Slurm(MaxParallel = 8)]
    }

    [Fact]
    public async Task ARunWhoseRemoteStepFailedResumesOnSlurm()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var environment = RemoteEnvironment(work);
        environment["GPUFLOW_BROKEN_ITEM"] = "2"; // the job of item 2 fails (both attempts): the run fails
        var failed = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "GpuFlow", "run", "--datastore", root, "--hold", "0");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("item 2 is broken", failed.Stdout + failed.Stderr);

        environment["GPUFLOW_BROKEN_ITEM"] = "none";
        var resumed = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "GpuFlow", "resume", "--datastore", root);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        var run = new Flow("GpuFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        Assert.True(run.Successful, run.Error);
        Assert.NotNull(run["Start"].Task.Origin); // reused from the failed run
        Assert.All(run["Train"].Tasks, t => Assert.NotEqual("", t["Job"].Get<string>()));
        Assert.Equal(3, run["Join"].Task["Seen"].Get<List<string>>().Count);
    }

    [Fact]
    public async Task AFlowBuiltFromNotebookCellsRunsOnSlurmThroughTheGenericWorker()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        using var shared = new EnvironmentScope(new Dictionary<string, string> { ["SHARPFLOW_SHARED_DIR"] = Path.Combine(work.Root, "shared") });
        var magics = new Interactive.FlowMagics(root);
        var display = new RecordingDisplay();
        foreach (var cell in new[]
        {
            "#!step start --flow CellGpuFlow --next train\npublic int seed;\nseed = 21;",
            "#!step train --flow CellGpuFlow --next end --gpu 1 --memory 256M\npublic string gpus = \"\";\npublic string job = \"\";\npublic int doubled;\ngpus = string.Join(\",\", Current.Gpus);\njob = Environment.GetEnvironmentVariable(\"SLURM_JOB_ID\") ?? \"\";\ndoubled = seed * 2;",
        })
        {
            Assert.IsType<Interactive.CellResult>((await magics.ExecuteCellAsync(cell, display)).Value); // runs here, at once
        }

        var run = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow-run CellGpuFlow --with slurm", display)).Value);

        Assert.True(run.Successful, run.Error);
        var train = run["train"].Task;
        Assert.NotEqual("", train["job"].Get<string>()); // ran as a Slurm job
        Assert.Contains(train["gpus"].Get<string>(), new[] { "0", "1" });
        Assert.Equal(42, run.Data["doubled"].Get<int>());
        var package = Assert.Single(await CodePackage.ListAsync(DatastoreLocation.Open(root), "CellGpuFlow"));
        Assert.Equal("Sharpflow.Worker.dll", package.EntryAssembly); // the cells' assembly, hosted by the generic worker
        Assert.Contains(package.Files, f => f.Path.StartsWith("Sharpflow.Cells.CellGpuFlow.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStepCellWithSlurmSendsThatStepToSlurmWhenTheFlowRuns()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        using var shared = new EnvironmentScope(new Dictionary<string, string> { ["SHARPFLOW_SHARED_DIR"] = Path.Combine(work.Root, "shared") });
        var magics = new Interactive.FlowMagics(root);
        var display = new RecordingDisplay();
        Assert.False((await magics.ExecuteCellAsync("#!step start --flow CellStepSlurmFlow --next train\npublic string here = \"\";\nhere = Environment.GetEnvironmentVariable(\"SLURM_JOB_ID\") ?? \"\";", display)).Failed);

        // A step cell runs in memory, which a Slurm job cannot read: the remote step's cell defines it and says when it runs.
        var cell = await magics.ExecuteCellAsync("#!step train --flow CellStepSlurmFlow --next end --with slurm:partition=gpu --gpu 1 --memory 256M\npublic string job = \"\";\npublic string partition = \"\";\njob = Environment.GetEnvironmentVariable(\"SLURM_JOB_ID\") ?? \"\";\npartition = Environment.GetEnvironmentVariable(\"SLURM_JOB_PARTITION\") ?? \"\";", display);
        Assert.False(cell.Failed, cell.Failure);
        var defined = Assert.IsType<Interactive.CellResult>(cell.Value);
        Assert.Null(defined.Run);
        Assert.Contains("runs on slurm: it runs when the flow runs", defined.Html);

        var run = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow-run CellStepSlurmFlow", display)).Value);
        Assert.True(run.Successful, run.Error);
        Assert.Equal("", run["Start"].Task["here"].Get<string>()); // ran in the notebook's process
        Assert.NotEqual("", run["train"].Task["job"].Get<string>()); // ran as a Slurm job
        Assert.Equal("gpu", run["train"].Task["partition"].Get<string>()); // in the partition the cell asked for (the default is debug)
    }

    [Fact]
    public async Task TheRunnerApiSendsAStepToSlurm()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var catalog = new CellFlows.CellFlowCatalog();
        catalog.Define(CellFlows.FlowCellParser.Parse("#!step start --flow ApiGpuFlow --next train\npublic int seed;\nseed = 5;")!);
        var flow = catalog.Define(CellFlows.FlowCellParser.Parse("#!step train --flow ApiGpuFlow --next end --gpu 1 --memory 256M\npublic string job = \"\";\npublic string partition = \"\";\npublic int squared;\njob = Environment.GetEnvironmentVariable(\"SLURM_JOB_ID\") ?? \"\";\npartition = Environment.GetEnvironmentVariable(\"SLURM_JOB_PARTITION\") ?? \"\";\nsquared = seed * seed;")!);
        var type = new CellFlows.CellFlowCompiler().Compile(CellFlows.CellFlowSource.Generate(flow, CellFlows.CellSourceStyle.Mapped));

        await using var runner = new Execution.Runner(type, new Execution.RunnerOptions { DatastoreRoot = root, ComputeBackend = "slurm:partition=gpu", SharedDirectory = Path.Combine(work.Root, "shared") });
        var run = await runner.RunAsync();

        Assert.True(run.Successful, run.Error);
        Assert.Equal(25, run.Data["squared"].Get<int>());
        Assert.NotEqual("", run["train"].Task["job"].Get<string>());
        Assert.Equal("gpu", run["train"].Task["partition"].Get<string>()); // --with slurm:partition=gpu, bound onto [Slurm]
    }

    [Fact]
    public async Task ARemoteStepPastItsTimeoutIsStoppedAndCaught()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var environment = RemoteEnvironment(work);
        var clock = Stopwatch.StartNew();
        var result = await ChildProcess.DotnetAsync(work.Root, environment, ChildProcess.TestFlowsDll, "SlowRemoteFlow", "run", "--datastore", root);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr); // [Catch] turned the timeout into an artifact
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the 10-minute step was stopped at its 4 s timeout, not waited for ({clock.Elapsed})");
        var run = new Flow("SlowRemoteFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        var wait = run["Wait"].Task;
        Assert.Contains("waiting in job", wait.Stdout);
        Assert.Contains("Timeout", wait["Failure"].Value!.ToString()!);
        var jobs = await ChildProcess.RunAsync("squeue", work.Root, null, "-h", "-o", "%j");
        Assert.DoesNotContain("sf-SlowRemoteFlow-Wait", jobs.Stdout);
    }

    [Fact]
    public async Task CancellingTheRunCancelsItsJobs()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ChildProcess.TestFlowsDll, "GpuFlow", "run", "--datastore", root, "--hold", "600" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in RemoteEnvironment(work))
        {
            start.Environment[key] = value;
        }
        using var cli = Process.Start(start)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        var jobs = await WaitForJobsAsync(TimeSpan.FromMinutes(2));
        Assert.NotEmpty(jobs);

        // SIGTERM takes the CLI's Ctrl-C path (cancel the run, scancel its jobs). Not SIGINT itself: a test run started in
        // the background by a non-interactive shell (nohup, `cmd &`) hands its children SIGINT ignored, and .NET keeps it so.
        Assert.Equal(0, (await ChildProcess.RunAsync("kill", work.Root, null, "-TERM", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            try
            {
                await cli.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                var queue = await ChildProcess.RunAsync("squeue", "/", null, "-o", "%i %j %T %r");
                cli.Kill(entireProcessTree: true);
                await cli.WaitForExitAsync();
                Assert.Fail($"The run did not stop within 2 minutes of SIGTERM.\nsqueue:\n{queue.Stdout}\nstdout:\n{await output}\nstderr:\n{await errors}");
            }
        }
        await output;
        var left = await SqueueAsync();
        Assert.DoesNotContain(left, j => jobs.Contains(j)); // scancel'ed, not left running for 600 s
        var state = await ChildProcess.RunAsync("scontrol", work.Root, null, "show", "job", jobs[0], "-o");
        Assert.Contains("JobState=CANCELLED", state.Stdout);
        var run = new Flow("GpuFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        Assert.Equal(Metadata.RunStatus.Cancelled, run.Status);
    }

    [Fact]
    public async Task SlurmOptionsAndSetupReachTheJob()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, RemoteEnvironment(work), ChildProcess.TestFlowsDll, "SlurmSetupFlow", "run", "--datastore", root);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var task = new Flow("SlurmSetupFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!["Work"].Task;
        var job = task["Job"].Get<string>();
        Assert.NotEqual("", job);
        Assert.Equal("from-setup", task["Greeting"].Get<string>()); // [Slurm(Setup)] ran in the job before the task
        Assert.Equal(job, task.Placement["slurm_job_id"]);
        var shown = await ChildProcess.RunAsync("scontrol", work.Root, null, "show", "job", job, "-o");
        Assert.Contains("Comment=sharpflow-options-test", shown.Stdout); // [Slurm(Options)] became #SBATCH lines
        Assert.Contains($"(status) Submitted as Slurm job {job}.", result.Stdout);
    }

    [Fact]
    public async Task AJobThatCanNeverStartIsSaidToBeSoWhileItWaits()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ChildProcess.TestFlowsDll, "UnfitSlurmFlow", "run", "--datastore", root })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in RemoteEnvironment(work))
        {
            start.Environment[key] = value;
        }
        using var cli = Process.Start(start)!;
        var errors = cli.StandardError.ReadToEndAsync();
        var seen = new StringBuilder();
        var warned = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            while (await cli.StandardOutput.ReadLineAsync() is { } line)
            {
                seen.AppendLine(line);
                if (line.Contains("cannot start as asked", StringComparison.Ordinal))
                {
                    warned.TrySetResult(line);
                }
            }
            warned.TrySetResult("");
        });
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string warning;
        try
        {
            warning = await warned.Task.WaitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            cli.Kill(entireProcessTree: true); // the run, not its queued job: that one is the cluster's to drop when the test's cluster stops
            await cli.WaitForExitAsync();
            throw new Xunit.Sdk.XunitException($"No word within 2 minutes that the job cannot start:\n{seen}\n{await errors}");
        }
        if (warning.Length == 0)
        {
            await cli.WaitForExitAsync(); // its output ended: it is exiting, so its stderr can be read to the end
            throw new Xunit.Sdk.XunitException($"The run ended without saying the job cannot start:\n{seen}\n{await errors}");
        }
        Assert.Equal(0, (await ChildProcess.RunAsync("kill", work.Root, null, "-TERM", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        await cli.WaitForExitAsync(patience.Token);
        await reading;
        Assert.Matches(@"\(status\) Slurm job \d+ is pending \(\w+\) and cannot start as asked: it wants more CPUs, memory, GPUs or time than its partition allows", warning);
        Assert.Equal(Metadata.RunStatus.Cancelled, new Flow("UnfitSlurmFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!.Status);
    }

    /// <summary>What a run with Slurm steps is started with: the test S3 server and a shared folder of its own.</summary>
    private Dictionary<string, string> RemoteEnvironment(TempDatastore work) =>
        new() { [S3Location.EndpointVariable] = server.Endpoint, ["SHARPFLOW_SHARED_DIR"] = Path.Combine(work.Root, "shared") };

    private static async Task<IReadOnlyList<string>> WaitForJobsAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var jobs = await SqueueAsync("RUNNING");
            if (jobs.Count > 0)
            {
                return jobs;
            }
            await Task.Delay(500);
        }
        return [];
    }

    private static async Task<IReadOnlyList<string>> SqueueAsync(string? state = null)
    {
        var all = await ChildProcess.RunAsync("squeue", "/", null, ["-h", "-o", "%i %j", .. state is null ? Array.Empty<string>() : ["-t", state]]);
        return all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" sf-GpuFlow-Train", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToArray();
    }
}
