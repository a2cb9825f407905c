using Sharpflow.Config;
using Sharpflow.Execution;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class ConfigTests
{
    private static string Write(TempDatastore store, string name, string text)
    {
        var path = Path.Combine(store.Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static RunnerOptions With(TempDatastore store, string train, string extra) =>
        store.Options() with { ConfigPaths = new Dictionary<string, string> { ["train"] = train, ["extra"] = extra } };

    [Fact]
    public async Task TomlJsonAndYamlBindTheSame()
    {
        using var store = new TempDatastore();
        var extra = Write(store, "extra.yaml", "model:\n  layers: 3\n");
        var sources = new[]
        {
            Write(store, "t.toml", "learning_rate = 0.25\ntarget = \"churn\"\nepochs = 4\n"),
            Write(store, "t.json", """{ "learning_rate": 0.25, "target": "churn", "epochs": 4 }"""),
            Write(store, "t.yaml", "learning_rate: 0.25\ntarget: churn\nepochs: 4\n"),
        };
        foreach (var source in sources)
        {
            var run = await new Runner<ConfigFlow>(With(store, source, extra)).RunAsync();
            Assert.True(run.Successful, run.Error);
            Assert.Equal("churn:0.25:4:3", run.Data["Seen"].Get<string>());
            Assert.Equal(0.25, run.Configs["train"].Get<double>("learning_rate"));
            Assert.Equal(source, run.Record.Configs["train"].Source);
        }
    }

    [Theory]
    [InlineData("target = \"x\"\nlearning_rate = 3.5\n", "key 'learning_rate' (line 2)", "must be between 0 and 1")]
    [InlineData("target = \"x\"\nepochs = 0\n", "key 'epochs' (line 2)", "epochs must be positive")]
    [InlineData("target = \"x\"\n\nlearnin_rate = 0.1\n", "key 'learnin_rate' (line 3)", "could not be mapped")]
    [InlineData("target = \"x\"\nlearning_rate = = 1\n", "line 2", "not valid TOML")]
    public async Task BadConfigsAreRefusedBeforeAnyStepRunsNamingConfigFileKeyAndLine(string toml, string where, string what)
    {
        using var store = new TempDatastore();
        var train = Write(store, "train.toml", toml);
        var extra = Write(store, "extra.json", """{"model": {"layers": 1}}""");

        var error = await Assert.ThrowsAsync<ConfigException>(() => new Runner<ConfigFlow>(With(store, train, extra)).RunAsync());

        Assert.Contains("Flow 'ConfigFlow', config 'train'", error.Message);
        Assert.Contains("train.toml", error.Message);
        Assert.Contains(where, error.Message);
        Assert.Contains(what, error.Message);
        Assert.False(Directory.Exists(Path.Combine(store.Root, "ConfigFlow")));
    }

    [Fact]
    public async Task AMissingDefaultFileSaysHowToGiveOne()
    {
        using var store = new TempDatastore();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.RunAsync<ConfigFlow>());
        Assert.Contains("config 'train' file 'missing-train.toml' was not found", error.Message);
        Assert.Contains("--config train=PATH", error.Message);
    }

    [Fact]
    public async Task InlineValuesWinAndTheCliTakesBoth()
    {
        using var store = new TempDatastore();
        var train = Write(store, "train.toml", "target = \"file\"\n");
        var extra = Write(store, "extra.json", """{"model": {"layers": 2}}""");
        var options = With(store, train, extra) with { ConfigValues = new Dictionary<string, string> { ["train"] = """{"target": "inline", "learning_rate": 0.5}""" } };

        var run = await new Runner<ConfigFlow>(options).RunAsync();
        Assert.Equal("inline:0.5:1:2", run.Data["Seen"].Get<string>());
        Assert.Equal("--config-value train", run.Record.Configs["train"].Source);

        var cli = await CliTests.InProcessAsync(typeof(ConfigFlow), "run", "--datastore", store.Root, "--config", $"train={train}",
            "--config-value", """extra={"model": {"layers": 9}}""");
        Assert.Equal(0, cli.Code);
        Assert.Equal("file:0.1:1:9", new Client.Flow(nameof(ConfigFlow), store.Client).LatestRun!.Data["Seen"].Get<string>());
        var unknown = await CliTests.InProcessAsync(typeof(ConfigFlow), "run", "--datastore", store.Root, "--config", "nope=x.toml");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("has no config 'nope'. Its configs are: train, extra", unknown.Stderr);
    }

    [Fact]
    public async Task ResumeAndSpinKeepTheRunsConfigsEvenWhenTheFileChanges()
    {
        using var store = new TempDatastore();
        var train = Write(store, "train.toml", "target = \"first\"\n");
        var extra = Write(store, "extra.json", """{"model": {"layers": 5}}""");
        var origin = await new Runner<ConfigFlow>(With(store, train, extra)).RunAsync();
        File.WriteAllText(train, "target = \"second\"\n");

        var resumed = await new Runner<ConfigFlow>(store.Options()).ResumeAsync(new ResumeOptions { OriginRunId = origin.Id, Step = "Start" });
        var spun = await new Runner<ConfigFlow>(store.Options()).SpinAsync(new SpinOptions { Step = "Start", RunId = origin.Id, Persist = false });

        Assert.Equal("first:0.1:1:5", resumed.Data["Seen"].Get<string>());
        Assert.Equal("first:0.1:1:5", spun["Start"].Task["Seen"].Get<string>());
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => new Runner<ConfigFlow>(With(store, train, extra)).ResumeAsync(new ResumeOptions { OriginRunId = origin.Id, Step = "Start" }));
        Assert.Contains("resume keeps the configs", refused.Message);
    }

    [Fact]
    public async Task ConfigsAreReadOnlyInSteps()
    {
        using var store = new TempDatastore();
        var settings = Write(store, "settings.json", """{"size": 2}""");
        var run = await new Runner<ConfigTamperFlow>(store.Options() with { ConfigPaths = new Dictionary<string, string> { ["settings"] = settings } }).RunAsync();

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("config 'settings' was changed by the step", run.Error);
    }

    [Fact]
    public async Task ACustomParserMergesABaseFileWithAnOverride()
    {
        using var store = new TempDatastore();
        var train = Write(store, "train.toml", "target = \"base\"\nlearning_rate = 0.2\n");
        Write(store, "train.override.toml", "target = \"override\"\n");

        var run = await new Runner<MergedConfigFlow>(store.Options() with { ConfigPaths = new Dictionary<string, string> { ["train"] = train } }).RunAsync();
        Assert.Equal("override:0.2", run.Data["Seen"].Get<string>());
    }

    [Fact]
    public async Task FrameworkValuesValidateAndDictionaryKeysStayAsWritten()
    {
        using var store = new TempDatastore();
        var schedule = Write(store, "schedule.yaml", "starts_at: 2026-12-01T00:00:00\nendpoint: data/relative\nloss_weights:\n  train_loss: 1.0\n  val-loss: 0.5\n");

        var run = await new Runner<ScheduleFlow>(store.Options() with { ConfigPaths = new Dictionary<string, string> { ["schedule"] = schedule } }).RunAsync();

        Assert.True(run.Successful, run.Error);
        Assert.Equal("2026-12-01 train_loss,val-loss", run.Data["Seen"].Get<string>());
    }

    [Fact]
    public void ConfigValueGivesTypedAccessAndClearErrors()
    {
        var tree = new ConfigValue(ConfigFormats.Parse("[model]\nlayers = [64, 32]\nname = \"mlp\"\n", ".toml", "inline").Tree);

        Assert.Equal([64, 32], tree["model"]["layers"].As<int[]>());
        Assert.Equal(32, tree["model"]["layers"][1].As<int>());
        Assert.Equal("mlp", tree.Get<string>("model.name"));
        Assert.Equal(0.1, tree.GetOrDefault("model.dropout", 0.1));
        var missing = Assert.Throws<KeyNotFoundException>(() => tree["model"]["depth"]);
        Assert.Contains("'model.depth' does not exist; 'model' has: layers, name", missing.Message);
        var wrong = Assert.Throws<InvalidCastException>(() => tree.Get<int>("model.name"));
        Assert.Contains("'model.name'", wrong.Message);
    }
}

/// <summary>YAML mistakes name the file and the line they are on; merge keys work.</summary>
public class YamlConfigTests
{
    [Theory]
    [InlineData("model:\n  items: [1, 2\n  rate: 0.1\n", 2, "'[' opened on this line is never closed")]
    [InlineData("model:\n  ? [a, b]\n  : value\n", 2, "a key must be a plain value")]
    [InlineData("model:\n\trate: 0.1\n", 2, "tab")]
    [InlineData("a: 1\nb: *missing\n", 2, "missing")]
    [InlineData("a: 1\nb: [1, 2]]\n", 2, "")]
    public void ASyntaxErrorNamesTheFileAndItsLine(string text, int line, string why)
    {
        var error = Assert.Throws<Config.ConfigSyntaxException>(() => Config.ConfigFormats.Parse(text, ".yaml", "train.yaml"));
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"Config file 'train.yaml', line {line}: ", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void MergeKeysApplyAndEachKeyKeepsTheLineItsValueIsOn()
    {
        var document = Config.ConfigFormats.Parse("defaults: &defaults\n  rate: 0.1\n  depth: 3\nmodel:\n  <<: *defaults\n  rate: 0.5\n", ".yaml", "train.yaml");
        var model = document.Tree["model"]!;
        Assert.Equal(0.5, model["rate"]!.GetValue<double>());
        Assert.Equal(3, model["depth"]!.GetValue<long>());
        Assert.Null(model["<<"]);
        Assert.Equal(6, document.KeyLines["model.rate"]);
        Assert.Equal(3, document.KeyLines["model.depth"]);
    }
}
