using Sharpflow.Config;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class DecoratorTests
{
    [Fact]
    public async Task UserDecoratorsWrapRetrySkipAndInject()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<DecoratedFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.Equal(0, run["Start"].Task.Attempt);
        Assert.Equal(["before Start (retry 0)", "after Start (3 invocation(s))", "saw from the decorator"], run.Data["Trace"].Get<List<string>>());
        Assert.Equal("no", run.Data["MiddleRan"].Get<string>());
        Assert.Equal(3, run.Data["Calls"].Get<int>());
    }

    [Fact]
    public async Task MutatorsAddDecoratorsAndRemoveParameters()
    {
        using var store = new TempDatastore();
        var hw = Path.Combine(store.Root, "hw.json");
        File.WriteAllText(hw, """{"gpus": 2}""");
        var options = store.Options() with { ConfigPaths = new Dictionary<string, string> { ["hw"] = hw } };

        var run = await new Execution.Runner<MutatedFlow>(options).RunAsync();

        Assert.True(run.Successful, run.Error);
        Assert.Equal(2, run["Start"].Task.Attempt);
        Assert.Equal("cpu=4 gpu=2 memory=8G", run["TrainModel"].Task.Record.Resources);
        var removed = await Assert.ThrowsAsync<ArgumentException>(() =>
            new Execution.Runner<MutatedFlow>(options).RunAsync(new Dictionary<string, object?> { ["debug"] = true }));
        Assert.Contains("--debug was removed by a mutator", removed.Message);
    }

    [Fact]
    public async Task AMutatorCanAddAParameter()
    {
        using var store = new TempDatastore();
        var byDefault = await store.RunAsync<AddedParameterFlow>();
        var given = await store.RunAsync<AddedParameterFlow>(new Dictionary<string, object?> { ["threshold"] = "0.8" });
        var cli = await CliTests.InProcessAsync(typeof(AddedParameterFlow), "run", "--datastore", store.Root, "--threshold", "0.9");
        var typo = await CliTests.InProcessAsync(typeof(AddedParameterFlow), "run", "--datastore", store.Root, "--treshold", "0.9");

        Assert.Equal(0.5, byDefault.Data["Seen"].Get<double>());
        Assert.Equal(0.8, given.Data["Seen"].Get<double>());
        Assert.Equal(0.8, given.Data["threshold"].Get<double>());
        Assert.Equal(0, cli.Code);
        Assert.Equal(0.9, new Client.Flow(nameof(AddedParameterFlow), store.Client).LatestRun!.Data["Seen"].Get<double>());
        Assert.Equal(2, typo.Code);
        Assert.Contains("has no parameter 'treshold'. Its parameters are: --threshold", typo.Stderr);
    }

    [Fact]
    public async Task DecoratorArgumentsComeFromAConfigTable()
    {
        using var store = new TempDatastore();
        var policy = Path.Combine(store.Root, "policy.toml");
        File.WriteAllText(policy, "[fit.retry]\ntimes = 1\n\n[fit.resources]\ncpu = 8\ngpu = 1\nmemory = \"32G\"\n");
        var options = store.Options() with { ConfigPaths = new Dictionary<string, string> { ["policy"] = policy } };

        var run = await new Execution.Runner<ConfigDrivenFlow>(options).RunAsync();
        Assert.True(run.Successful, run.Error);
        Assert.Equal("cpu=8 gpu=1 memory=32G", run["Start"].Task.Record.Resources);
        Assert.Equal(1, run["Start"].Task.Attempt);

        File.WriteAllText(policy, "[fit.retry]\ntimes = 0\n\n[fit.resources]\ncpus = 8\n");
        var error = await Assert.ThrowsAsync<ConfigException>(() => new Execution.Runner<ConfigDrivenFlow>(options).RunAsync());
        Assert.Contains("config key 'policy.fit.resources.cpus' is not an argument of [Resources]; its arguments are: Cpu, Gpu, Memory", error.Message);
        Assert.Contains("step 'Start'", error.Message);
    }

    [Fact]
    public async Task SwappingTheConfigFileChangesTheModelVariantWithNoCodeChange()
    {
        using var store = new TempDatastore();
        var configs = Path.Combine(ChildProcess.RepositoryRoot(), "examples", "ConfigurableTrainFlow", "configs");
        async Task<Client.Run> RunWith(string file) =>
            await new Execution.Runner<ConfigurableTrainExample.VariantTrainFlow>(store.Options() with
            {
                ConfigPaths = new Dictionary<string, string> { ["model"] = Path.Combine(configs, file) },
            }).RunAsync(new Dictionary<string, object?> { ["seed"] = 3 });

        var failures = await RunWith("failures.toml");
        var overheating = await RunWith("overheating.toml");

        Assert.True(failures.Successful, failures.Error);
        Assert.True(overheating.Successful, overheating.Error);
        Assert.StartsWith("Variant 'failed'", failures.Data["Report"].Get<string>());
        Assert.StartsWith("Variant 'overheated'", overheating.Data["Report"].Get<string>());
        Assert.Equal(3, failures["Fit"].Tasks.Count);
        Assert.Equal(4, overheating["Fit"].Tasks.Count);
        Assert.Equal("cpu=2 gpu=0 memory=2G", failures["Fit"].Tasks[0].Record.Resources);
        Assert.Equal("cpu=4 gpu=1 memory=8G", overheating["Fit"].Tasks[0].Record.Resources);
        Assert.Equal("overheated", overheating.Configs["model"].Get<string>("target"));
        Assert.True(failures["Start"].Task["StepSeconds"].Get<Dictionary<string, double>>().ContainsKey("Start"));
    }
}
