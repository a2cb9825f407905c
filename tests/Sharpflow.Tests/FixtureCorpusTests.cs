using System.Reflection;
using Sharpflow.Fixtures;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Tests;

/// <summary>Every shape of the fixture corpus: good ones validate and run end to end; broken ones report their rule.</summary>
public class FixtureCorpusTests
{
    private static readonly Assembly Corpus = typeof(GoodFixtureAttribute).Assembly;

    public static TheoryData<string> GoodFlows() => [.. Corpus.GetTypes().Where(t => t.IsDefined(typeof(GoodFixtureAttribute))).Select(t => t.Name).Order()];

    public static TheoryData<string> BrokenFlows() => [.. Corpus.GetTypes().Where(t => t.IsDefined(typeof(BrokenFixtureAttribute))).Select(t => t.Name).Order()];

    private static Type Fixture(string name) => Corpus.GetTypes().Single(t => t.Name == name);

    [Fact]
    public void CorpusCoversEveryShapeAndEveryRule()
    {
        Assert.Equal(15, GoodFlows().Count);
        var covered = Corpus.GetTypes().Select(t => t.GetCustomAttribute<BrokenFixtureAttribute>()?.RuleId).Where(id => id is not null).ToHashSet();
        Assert.All(GraphRules.All, rule => Assert.Contains(rule.Id, covered));
    }

    [Theory]
    [MemberData(nameof(GoodFlows))]
    public void GoodShapeIsValid(string flow)
    {
        var diagnostics = GraphValidator.Validate(FlowGraphExtractor.Extract(Fixture(flow)));
        Assert.Empty(diagnostics);
    }

    [Theory]
    [MemberData(nameof(GoodFlows))]
    public async Task GoodShapeRunsEndToEnd(string flow)
    {
        var type = Fixture(flow);
        var expected = type.GetCustomAttribute<GoodFixtureAttribute>()!;
        using var store = new TempDatastore();
        var run = await new Execution.Runner(type, store.Options()).RunAsync();

        Assert.True(run.Successful, run.Error);
        Assert.Equal(expected.Result, run.Data["Result"].Get<string>());
        var counts = run.Steps.ToDictionary(s => s.Name, s => s.Tasks.Count);
        Assert.Equal(expected.Tasks.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
        Assert.All(run.Steps.SelectMany(s => s.Tasks), t => Assert.Equal(RunStatus.Succeeded, t.Status));
    }

    [Theory]
    [MemberData(nameof(BrokenFlows))]
    public void BrokenShapeReportsItsRule(string flow)
    {
        var type = Fixture(flow);
        var expected = type.GetCustomAttribute<BrokenFixtureAttribute>()!;
        var diagnostics = GraphValidator.Validate(FlowGraphExtractor.Extract(type));

        var match = Assert.Single(diagnostics, d => d.Rule.Id == expected.RuleId);
        Assert.Equal(expected.Step, match.Step);
        Assert.Contains($"'{flow}'", match.Message);
        if (expected.Step is not null)
        {
            Assert.Contains($"'{expected.Step}'", match.Message);
        }
    }

    [Theory]
    [MemberData(nameof(BrokenFlows))]
    public async Task BrokenShapeIsRefusedBeforeAnythingRuns(string flow)
    {
        using var store = new TempDatastore();
        var error = await Assert.ThrowsAsync<FlowDefinitionException>(() => new Execution.Runner(Fixture(flow), store.Options()).RunAsync());
        Assert.Contains(flow, error.Message);
        Assert.False(Directory.Exists(Path.Combine(store.Root, flow)));
    }
}
