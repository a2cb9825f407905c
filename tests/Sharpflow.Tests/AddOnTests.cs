using Sharpflow.Client;
using Sharpflow.Compute;
using Sharpflow.Execution;

namespace Sharpflow.Tests;

/// <summary>
/// Backends, datastores and commands come from add-on packages: a flow with the core package alone names the package
/// it lacks, and a backend written outside Sharpflow (the test flows' <c>sandbox</c>) plugs in through the public API.
/// </summary>
public class AddOnTests
{
    private static string HelloDll => Path.Combine(ExampleApps.HelloFlow, "HelloFlow.dll");

    [Fact]
    public async Task AThirdPartyBackendRunsTheStepsThatAskForIt()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, ChildProcess.TestFlowsDll, "SandboxFlow", "run", "--datastore", store.Root);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("SandboxFlow", store.Client).LatestRun!;
        Assert.Equal("", run["Start"].Task["StartLabel"].Get<string>()); // ran here
        Assert.Equal("work", run["Work"].Task["WorkLabel"].Get<string>()); // ran in the sandbox, with its attribute's settings
        Assert.Equal("2", run["Work"].Task["WorkCpus"].Get<string>());
        Assert.Equal("", run["End"].Task["EndLabel"].Get<string>());
    }

    [Fact]
    public async Task WithSendsEveryStepToABackendWithItsSettingsAndAStepsOwnAttributeWins()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, ChildProcess.TestFlowsDll, "SandboxFlow", "run", "--with", "sandbox:label=everywhere,cpus=4", "--datastore", store.Root);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("SandboxFlow", store.Client).LatestRun!;
        Assert.Equal("everywhere", run["Start"].Task["StartLabel"].Get<string>());
        Assert.Equal("work", run["Work"].Task["WorkLabel"].Get<string>());
        Assert.Equal("2", run["Work"].Task["WorkCpus"].Get<string>());
        Assert.Equal("everywhere", run["End"].Task["EndLabel"].Get<string>());
    }

    [Theory]
    [InlineData("sandbox:colour=red", "--with sandbox:colour=red: [Sandbox] has no setting 'colour'. Its settings are: label, cpus.")]
    [InlineData("sandbox:cpus=many", "--with sandbox:cpus=many: cpus takes a Int32, not 'many'.")]
    [InlineData("sandbox:label", "--with sandbox:label: 'label' is not key=value.")]
    [InlineData("nowhere", "--with nowhere: there is no decorator or compute backend 'nowhere'. Decorators: card, catch, environment, resources, retry, reuse, timeout; compute backends: kubernetes, sandbox, slurm, ssh")]
    public async Task AWithThatCannotWorkIsRefusedBeforeAnythingRuns(string with, string message)
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, null, ChildProcess.TestFlowsDll, "SandboxFlow", "run", "--with", with, "--datastore", store.Root);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(store.Root, "SandboxFlow")), "no run was started");
    }

    [Fact]
    public void TwoBackendsForEveryStepAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => WithDecorators.ComputeBackend(["sandbox", "retry", "slurm:partition=gpu"]));
        Assert.Contains("every step runs on one compute backend; choose one", error.Message);
        Assert.Equal("slurm:partition=gpu", WithDecorators.ComputeBackend(["retry:times=2", "slurm:partition=gpu"]));
        Assert.Equal(["retry:times=2"], WithDecorators.StepDecorators(["retry:times=2", "slurm:partition=gpu"]));
        Assert.Equal(2, Assert.IsType<RetryAttribute>(WithDecorators.Create("retry:times=2")).Times);
        // The same backend twice with different settings is refused with the one --with to write, not half-dropped.
        var split = Assert.Throws<ArgumentException>(() => WithDecorators.ComputeBackend(["slurm:partition=gpu", "slurm:account=ml"]));
        Assert.Contains("give the backend once with all its settings (slurm:partition=gpu,account=ml)", split.Message);
        Assert.Equal("slurm:partition=gpu", WithDecorators.ComputeBackend(["slurm:partition=gpu", "slurm:partition=gpu"]));
    }

    [Theory]
    [InlineData(new[] { "run", "--with", "slurm" }, "The compute backend 'slurm' comes with the package Sharpflow.Slurm: add it to the flow's project (dotnet add package Sharpflow.Slurm; in a notebook: #r \"nuget: Sharpflow.Slurm\").")]
    [InlineData(new[] { "run", "--with", "kubernetes:namespace=ml" }, "The compute backend 'kubernetes' comes with the package Sharpflow.Kubernetes")]
    [InlineData(new[] { "run", "--datastore", "s3://bucket/flows" }, "The datastore 's3://bucket/flows' needs the package Sharpflow.S3: add it to the flow's project (dotnet add package Sharpflow.S3")]
    [InlineData(new[] { "argo-workflows", "create" }, "The command 'argo-workflows' comes with the package Sharpflow.Argo: add it to the flow's project (dotnet add package Sharpflow.Argo).")]
    public async Task AFlowWithTheCorePackageAloneNamesThePackageItLacks(string[] arguments, string message)
    {
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, null, [HelloDll, .. arguments]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // a refusal, not a crash
        Assert.False(Directory.Exists(Path.Combine(work.Root, ".sharpflow", "HelloFlow")), "no run was started");
    }

    [Fact]
    public void ACoreOnlyFlowShipsNoCloudOrClusterLibraries()
    {
        var files = Directory.GetFiles(ExampleApps.HelloFlow, "*.dll").Select(Path.GetFileName).ToArray();
        Assert.Contains("Sharpflow.dll", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("AWSSDK", StringComparison.Ordinal) || f.StartsWith("KubernetesClient", StringComparison.Ordinal)
            || f.StartsWith("Renci", StringComparison.Ordinal) || f.StartsWith("BouncyCastle", StringComparison.Ordinal) || (f.StartsWith("Sharpflow.", StringComparison.Ordinal) && f != "Sharpflow.dll"));
        var deps = File.ReadAllText(Path.Combine(ExampleApps.HelloFlow, "HelloFlow.deps.json"));
        Assert.DoesNotContain("AWSSDK", deps);
        Assert.DoesNotContain("KubernetesClient", deps);
        Assert.DoesNotContain("SSH.NET", deps);
    }

    [Fact]
    public void ARequestNamesTheSettingsOfTheBackendsAttribute()
    {
        var request = ComputeRequest.Parse("slurm:partition=gpu,time_limit_minutes=30");
        var slurm = Assert.IsType<SlurmAttribute>(request.Attribute(request.ResolveBackend()));
        Assert.Equal(("gpu", 30), (slurm.Partition, slurm.TimeLimitMinutes));
        Assert.Contains("slurm", ComputeRequest.KnownBackends);
        Assert.Contains("sandbox", ComputeRequest.KnownBackends);
    }
}
