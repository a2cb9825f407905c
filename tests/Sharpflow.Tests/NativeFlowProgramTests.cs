using System.Text.Json;
using Sharpflow.Client;
using Sharpflow.NativeFlows;

namespace Sharpflow.Tests;

/// <summary>
/// A flow program published ahead of time (NativeAOT, tests/Sharpflow.NativeFlow) runs, resumes and shows its flow from
/// the flow manifest its publish wrote, and agrees with the same program on the JIT: the same graph, the same
/// <c>flow_version</c>, step code hashes the JIT program's <c>run --reuse</c> accepts. Published once for the class.
/// </summary>
public class NativeFlowProgramTests(NativeFlowProgramTests.NativeProgram native) : IClassFixture<NativeFlowProgramTests.NativeProgram>
{
    /// <summary>The same program's JIT build (the test project references it).</summary>
    private static readonly string JitDll = Path.Combine(AppContext.BaseDirectory, "Sharpflow.NativeFlow.dll");

    [Fact]
    public async Task ANativeProgramRunsEveryKindOfStepAndStoresWhatTheJitBuildStores()
    {
        using var store = new TempDatastore();
        var output = await RunAsync(native.Program, store.Root, null, "run", "--count", "4", "--label", "result", "--datastore", store.Root);
        Assert.Contains("result: big: left of 30, right of 30", output); // the inherited step, with the inherited parameter

        var run = new Flow(nameof(NativeFlow), store.Client).LatestRun!;
        Assert.True(run.Successful);
        Assert.Equal([1, 4, 9, 16], run["Squares"].Tasks.Select(t => t["Square"].Get<int>()).Order());
        var end = run["End"].Task;
        Assert.Equal(new Summary(30, 4), end["Result"].Get<Summary>()); // the program's own type, through its compile-time contract
        Assert.Equal("big: left of 30, right of 30", end["Verdict"].Get<string>());
        Assert.Equal(["Big", "End", "Gather", "LeftSide", "Meet", "RightSide", "Squares", "Start"], run.Steps.Select(s => s.Name).Order(StringComparer.Ordinal));

        // The JIT build, reading the steps' IL, computes the manifest's step code hashes: `run --reuse` takes every task
        // of the native run (a task is reused only when its fingerprint, code hash included, is equal), and the version.
        await RunAsync("dotnet", store.Root, null, JitDll, "run", "--reuse", "--count", "4", "--label", "result", "--datastore", store.Root);
        var jitRun = new Flow(nameof(NativeFlow), store.Client).LatestRun!;
        Assert.NotEqual(run.Id, jitRun.Id);
        Assert.All(jitRun.Steps.SelectMany(s => s.Tasks), t => Assert.True(t.Reused, $"{t.Pathspec} ran again on the JIT"));
        Assert.Equal("big: left of 30, right of 30", jitRun["End"].Task["Verdict"].Get<string>());
        Assert.Equal(jitRun.SystemTags.Single(t => t.StartsWith("flow_version:", StringComparison.Ordinal)),
            run.SystemTags.Single(t => t.StartsWith("flow_version:", StringComparison.Ordinal)));
        // `show` prints the steps' doc comments: the JIT build reads its documentation file, the native program its manifest.
        var nativeShow = await RunAsync(native.Program, store.Root, null, "show");
        Assert.Contains("Fans out over Count items, one task each.", nativeShow);
        Assert.Contains("Prints the verdict under its label.", nativeShow); // a step declared on the flow's base class
        Assert.Equal(await RunAsync("dotnet", store.Root, null, JitDll, "show"), nativeShow);
    }

    [Fact]
    public async Task AFailedNativeRunResumesNativelyAndOnTheJitReusingWhatItFinished()
    {
        using var store = new TempDatastore();
        var failing = await ChildProcess.RunAsync(native.Program, store.Root, new Dictionary<string, string> { ["NATIVE_FLOW_FAIL_AT"] = "LeftSide" },
            "run", "--datastore", store.Root);
        Assert.NotEqual(0, failing.ExitCode);
        Assert.Contains("LeftSide failed on purpose", failing.Stdout + failing.Stderr);
        var origin = new Flow(nameof(NativeFlow), store.Client).LatestRun!.Id;

        // Resumed by the native program and, from the same failed run, by the JIT build: both clone the finished tasks.
        foreach (var program in new[] { native.Program, "dotnet" })
        {
            string[] resume = ["resume", "--origin-run-id", origin, "--datastore", store.Root];
            await RunAsync(program, store.Root, null, program == "dotnet" ? [JitDll, .. resume] : resume);
            var resumed = new Flow(nameof(NativeFlow), store.Client).LatestRun!;
            Assert.True(resumed.Successful);
            Assert.Equal(origin, resumed.Record.OriginRunId);
            foreach (var step in new[] { "Start", "Squares", "Gather", "RightSide" })
            {
                Assert.All(resumed[step].Tasks, t => Assert.StartsWith($"{origin}/{step}/", t.Origin));
            }
            Assert.Null(resumed["LeftSide"].Task.Origin);
            Assert.Equal("big: left of 14, right of 14", resumed["End"].Task["Verdict"].Get<string>());        }
    }

    [Fact]
    public async Task ANativeProgramWithoutItsManifestOrWithAnotherBuildsSaysWhatToDo()
    {
        using var folder = new TempDatastore();
        var copy = Path.Combine(folder.Root, "Sharpflow.NativeFlow");
        File.Copy(native.Program, copy); // keeps the execute bit

        var missing = await ChildProcess.RunAsync(copy, folder.Root, null, "run", "--datastore", folder.Root);
        Assert.Equal(2, missing.ExitCode); // refused, with the message alone (no stack trace)
        Assert.DoesNotContain("   at ", missing.Stderr);
        Assert.Contains($"flow manifest {Path.Combine(folder.Root, "Sharpflow.NativeFlow.flows.json")} is missing", missing.Stderr);
        Assert.Contains("dotnet publish -p:PublishAot=true", missing.Stderr);

        // A manifest from another build of the program (another module id) is refused, not trusted.
        var manifest = File.ReadAllText(native.Manifest);
        var module = JsonDocument.Parse(manifest).RootElement.GetProperty("flows").EnumerateObject().First().Value.GetProperty("module").GetString()!;
        File.WriteAllText(Path.Combine(folder.Root, "Sharpflow.NativeFlow.flows.json"), manifest.Replace(module, Guid.NewGuid().ToString(), StringComparison.Ordinal));
        var stale = await ChildProcess.RunAsync(copy, folder.Root, null, "run", "--datastore", folder.Root);
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("was written for another build of Sharpflow.NativeFlow", stale.Stderr);

        // Valid JSON that lacks what a manifest must have is damaged, not a crash.
        File.WriteAllText(Path.Combine(folder.Root, "Sharpflow.NativeFlow.flows.json"), """{ "format": 1 }""");
        var damaged = await ChildProcess.RunAsync(copy, folder.Root, null, "run", "--datastore", folder.Root);
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("Sharpflow.NativeFlow.flows.json is damaged", damaged.Stderr);
        Assert.False(Directory.Exists(Path.Combine(folder.Root, nameof(NativeFlow))), "no run may start without a trustworthy graph");
    }

    [Theory]
    [InlineData("unfinished", nameof(UnfinishedFlow), "step 'Start': every step except End must end with exactly one Next(...) or Switch(...)")]
    [InlineData("read-only-parameter", nameof(ReadOnlyParameterFlow), "parameter 'Size' needs a public getter and setter")]
    public async Task ANativeProgramRefusesABrokenFlowAsItsJitBuildDoes(string program, string flow, string problem)
    {
        using var store = new TempDatastore();
        var which = new Dictionary<string, string> { ["NATIVE_FLOW_PROGRAM"] = program };
        var jit = await ChildProcess.RunAsync("dotnet", store.Root, which, JitDll, "run", "--datastore", store.Root);
        var nativeRun = await ChildProcess.RunAsync(native.Program, store.Root, which, "run", "--datastore", store.Root);
        Assert.Equal(2, jit.ExitCode);
        Assert.Contains(problem, jit.Stderr);
        Assert.Equal(2, nativeRun.ExitCode);
        Assert.Contains(problem, nativeRun.Stderr);
        Assert.DoesNotContain("   at ", nativeRun.Stderr);
        Assert.False(Directory.Exists(Path.Combine(store.Root, flow)));
    }

    [Fact]
    public void APublishWarnsOfAFlowItCannotReadAndShipsTheOthers()
    {
        Assert.Contains("warning SF0201: flow 'Sharpflow.NativeFlows.ReadOnlyParameterFlow' is not valid and will refuse to run", native.PublishOutput);
        var flows = JsonDocument.Parse(File.ReadAllText(native.Manifest)).RootElement.GetProperty("flows");
        Assert.Contains("needs a public getter and setter", flows.GetProperty("Sharpflow.NativeFlow:Sharpflow.NativeFlows.ReadOnlyParameterFlow").GetProperty("invalid").GetString());
        Assert.Equal(9, flows.GetProperty("Sharpflow.NativeFlow:Sharpflow.NativeFlows.NativeFlow").GetProperty("steps").GetArrayLength());
    }

    [Theory]
    [InlineData("linux-arm64", false)]
    [InlineData("win-x64", false)]
    [InlineData("linux-musl-x64", false)]
    [InlineData(NativeTool.RuntimeIdentifier, true)]
    public async Task ANativePublishForAPlatformThatCannotRunHereSaysSoBeforeCompiling(string runtime, bool runsHere)
    {
        // The check the publish runs before compiling ahead of time, evaluated by MSBuild on the program's real project.
        var check = await ChildProcess.RunAsync("dotnet", ChildProcess.RepositoryRoot(), null, TimeSpan.FromMinutes(5),
            ["msbuild", Path.Combine("tests", "Sharpflow.NativeFlow"), "-t:SharpflowCheckManifestPlatform", $"-p:RuntimeIdentifier={runtime}",
             $"-p:Configuration={ChildProcess.BuildConfiguration}", "-nologo"]);
        Assert.True(runsHere == (check.ExitCode == 0), check.Stdout + check.Stderr);
        Assert.Equal(!runsHere, check.Stdout.Contains($"error SF0203: Sharpflow: the flow manifest of a NativeAOT program is written by running the program's JIT build, and a build for {runtime} cannot run on this", StringComparison.Ordinal));
    }

    private static async Task<string> RunAsync(string program, string folder, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(program, folder, environment, arguments);
        Assert.True(result.ExitCode == 0, $"`{program} {string.Join(' ', arguments)}` exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>The flow program published natively for linux-x64 into a private folder, with its flow manifest.</summary>
    public sealed class NativeProgram : IAsyncLifetime
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("sharpflow-native-flow-").FullName;

        public string Program => Path.Combine(_folder, "Sharpflow.NativeFlow");

        public string Manifest => Path.Combine(_folder, "Sharpflow.NativeFlow.flows.json");

        /// <summary>What the publish printed.</summary>
        public string PublishOutput { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var publish = await NativeTool.DotnetAsync("publish", Path.Combine(ChildProcess.RepositoryRoot(), "tests", "Sharpflow.NativeFlow"),
                "-c", ChildProcess.BuildConfiguration, "-r", NativeTool.RuntimeIdentifier, "-o", _folder);
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"The native publish of tests/Sharpflow.NativeFlow failed (exit code {publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");
            }
            PublishOutput = publish.Stdout + publish.Stderr;
        }

        public Task DisposeAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return Task.CompletedTask;
        }
    }
}
