using System.Reflection;
using Sharpflow.Client;
using Sharpflow.Argo;
using Sharpflow.Execution;
using Sharpflow.Fixtures;

namespace Sharpflow.Tests;

/// <summary>
/// The commands a compiled template runs are the right ones: the template is deployed for real (code package stored in
/// the S3 datastore on loopback), then every container command it holds runs in the order Argo would run them
/// (<see cref="ArgoSimulator"/>), and the resulting run equals a local run of the same flow, task by task and artifact
/// by artifact; the Client API reads it as an Argo run and a step of it spins locally.
/// </summary>
[Collection(S3Collection.Name)]
public class ArgoRunTests
{
    private static readonly Assembly Corpus = typeof(GoodFixtureAttribute).Assembly;

    public static TheoryData<string> Shapes() => ["SwitchInForeachFlow", "RecursiveSwitchInForeachFlow", "NestedSwitchFlow"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task TheTemplatesCommandsRunInOrderMakeTheSameRunAsALocalRun(string flow)
    {
        var type = Corpus.GetTypes().Single(t => t.Name == flow);
        var root = S3Server.NewRoot();
        using var deployer = new Deployer(type, new DeployerOptions { DatastoreRoot = root, Image = "registry.example/sharpflow:1", User = "alice" });
        var compiled = await deployer.CompileAsync();
        var workflow = $"{deployer.Name.Name}-{Guid.NewGuid().ToString("N")[..5]}";
        var simulator = new ArgoSimulator(compiled.WorkflowTemplate, Path.Combine(AppContext.BaseDirectory, "Sharpflow.Worker.dll"), workflow);

        Assert.True(await simulator.RunAsync() == "Succeeded", string.Join("\n", simulator.Failures));

        var run = new Flow(type.Name, new ClientOptions { DatastoreRoot = root, Namespace = null })["argo-" + workflow];
        Assert.True(run.Successful, run.Error);
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("runtime:argo-workflows", run.SystemTags);
        Assert.Contains($"argo-workflow:{workflow}", run.SystemTags);
        Assert.Contains($"production:{deployer.Name.Name}", run.SystemTags);
        Assert.Equal(type.GetCustomAttribute<GoodFixtureAttribute>()!.Result, run.Data["Result"].Get<string>());
        // Not in the deployer's own namespace: production runs are seen in the global view or their production namespace.
        Assert.Null(new Flow(type.Name, new ClientOptions { DatastoreRoot = root, Namespace = "user:alice" }).LatestRun);
        Assert.Equal(run.Id, new Flow(type.Name, new ClientOptions { DatastoreRoot = root, Namespace = $"production:{deployer.Name.Name}" }).LatestRun!.Id);

        using var local = new TempDatastore();
        var expected = await new Runner(type, local.Options()).RunAsync();
        Assert.Equal(Shape(expected), Shape(run));
        Assert.All(simulator.Commands, c => Assert.Contains($"--package {root} {type.Name} {compiled.Deployment.Package.Hash}", c));

        // A step of the Argo run spins locally (reading its inputs from the S3 datastore).
        var last = expected.Steps.Single(s => s.Name == "End");
        var spun = await new Runner(type, new RunnerOptions { DatastoreRoot = root }).SpinAsync(new SpinOptions { Step = "End", RunId = run.Id, Persist = false });
        Assert.True(spun.Successful, spun.Error);
        Assert.Equal(last.Tasks.Single()["Result"].Get<string>(), spun.Data["Result"].Get<string>());
    }

    /// <summary>Each task by its place in the run (step, split indices, loop iteration) with its artifacts' content hashes.</summary>
    private static string Shape(Run run) => string.Join("\n", run.Steps.SelectMany(s => s.Tasks)
        .Select(t => $"{TaskIdentity.Of(t.Record)} {t.Status} {string.Join(",", t.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}={a.Hash}"))}")
        .Order(StringComparer.Ordinal));

    [Fact]
    public async Task AFailedProductionRunIsRecordedAsFailedAndResumesIntoALocalRun()
    {
        var root = S3Server.NewRoot();
        // The test-flows program serves several flows: deployed as its CLI would deploy it, the pods name the flow first.
        using var deployer = new Deployer(typeof(TestFlows.FlakyProductionFlow), new DeployerOptions
        {
            DatastoreRoot = root, Image = "registry.example/sharpflow:1", User = "alice",
            TaskCommand = ["dotnet", ChildProcess.TestFlowsDll, nameof(TestFlows.FlakyProductionFlow)],
        });
        var compiled = await deployer.CompileAsync();
        var workflow = $"{deployer.Name.Name}-{Guid.NewGuid().ToString("N")[..5]}";
        var simulator = new ArgoSimulator(compiled.WorkflowTemplate, Path.Combine(AppContext.BaseDirectory, "Sharpflow.Worker.dll"), workflow,
            new Dictionary<string, string> { ["FLAKY_PRODUCTION_BROKEN"] = "1" });

        Assert.Equal("Failed", await simulator.RunAsync());

        var failed = new Flow(nameof(TestFlows.FlakyProductionFlow), new ClientOptions { DatastoreRoot = root, Namespace = null })["argo-" + workflow];
        Assert.Equal(Metadata.RunStatus.Failed, failed.Status);
        Assert.StartsWith("Train/t-", failed.Record.FailedTask);
        Assert.Contains("part 2 cannot be read", failed.Error);
        Assert.Equal(2, failed["Train"].Tasks.Count(t => t.Successful));

        // Resume the production run here, with this machine's environment: only the failed part of the work runs again.
        var resumed = await new Runner(typeof(TestFlows.FlakyProductionFlow), new RunnerOptions { DatastoreRoot = root }).ResumeAsync(new ResumeOptions { OriginRunId = failed.Id });
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(60, resumed.Data["Total"].Get<int>());
        Assert.Equal(failed.Id, resumed.Record.OriginRunId);
        Assert.Contains("runtime:local", resumed.SystemTags);
        Assert.NotNull(resumed["Start"].Tasks.Single().Origin); // cloned from the production run
    }
}
