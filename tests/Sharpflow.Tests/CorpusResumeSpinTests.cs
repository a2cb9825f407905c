using System.Reflection;
using Sharpflow.Execution;
using Sharpflow.Fixtures;
using Sharpflow.Graph;

namespace Sharpflow.Tests;

/// <summary>Resume and spin, written once and checked against every good shape of the fixture corpus.</summary>
public class CorpusResumeSpinTests
{
    public static TheoryData<string> GoodFlows() => FixtureCorpusTests.GoodFlows();

    private static Type Fixture(string name) => typeof(GoodFixtureAttribute).Assembly.GetTypes().Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(GoodFlows))]
    public async Task ResumingFromAnyStepReproducesTheRun(string flow)
    {
        var type = Fixture(flow);
        var expected = type.GetCustomAttribute<GoodFixtureAttribute>()!;
        var graph = FlowGraphExtractor.Extract(type);
        using var store = new TempDatastore();
        var origin = await new Runner(type, store.Options()).RunAsync();

        foreach (var step in origin.Steps.Select(s => s.Name))
        {
            var resumed = await new Runner(type, store.Options()).ResumeAsync(new ResumeOptions { OriginRunId = origin.Id, Step = step });

            Assert.True(resumed.Successful, $"resume {step}: {resumed.Error}");
            Assert.Equal(expected.Result, resumed.Data["Result"].Get<string>());
            Assert.Equal(expected.Tasks.OrderBy(p => p.Key), resumed.Steps.ToDictionary(s => s.Name, s => s.Tasks.Count).OrderBy(p => p.Key));
            var downstream = GraphValidator.Reachable(graph, graph[step]);
            foreach (var task in resumed.Steps.SelectMany(s => s.Tasks))
            {
                Assert.True(downstream.Contains(task.Step.Name) == (task.Record.Origin is null),
                    $"resume {step}: task {task.Pathspec} {(task.Record.Origin is null ? "ran" : "was cloned")}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(GoodFlows))]
    public async Task EveryStepSpinsAgainstAPastRun(string flow)
    {
        var type = Fixture(flow);
        using var store = new TempDatastore();
        var origin = await new Runner(type, store.Options()).RunAsync();
        var runner = new Runner(type, store.Options());

        foreach (var step in origin.Steps)
        {
            foreach (var task in step.Tasks.Take(2))
            {
                var spun = await runner.SpinAsync(new SpinOptions { Step = step.Name, RunId = origin.Id, TaskId = task.Id, Persist = false });
                Assert.True(spun.Successful, $"spin {task.Pathspec}: {spun.Error}");
                var again = spun[step.Name].Task;
                Assert.Equal(task.ForeachIndexPath, again.ForeachIndexPath);
                Assert.Equal(task["Result"].Hash, again["Result"].Hash);
            }
        }
    }
}
