using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Sharpflow.Client;
using Sharpflow.Execution;
using Sharpflow.Graph;

namespace Sharpflow.Tests;

/// <summary>The graph is extracted from compiled code however it was compiled: scripting (as notebooks do) and file-based apps.</summary>
public class CompilationModeTests
{
    [Fact]
    public async Task AFlowDeclaredInAScriptSubmissionIsExtractedAndRuns()
    {
        const string code = """
            public class ScriptFlow : FlowSpec
            {
                public List<int> Items = new();
                public int Total;
                public int Square;

                [Step] public void Start() { Items = new() { 1, 2, 3 }; Next(Square_, forEach: nameof(Items)); }
                [Step] public async Task Square_() { await Task.Yield(); Square = Input<int>() * Input<int>(); Next(Join); }
                [Step] public void Join(Inputs<ScriptFlow> inputs) { Total = inputs.Sum(i => i.Square); Next(End); }
                [Step] public void End() { }
            }
            typeof(ScriptFlow)
            """;
        var options = ScriptOptions.Default
            .AddReferences(typeof(FlowSpec).Assembly)
            .AddImports("System", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks", "Sharpflow");
        var flowType = await CSharpScript.EvaluateAsync<Type>(code, options);

        var graph = FlowGraphExtractor.Extract(flowType);
        Assert.Empty(GraphValidator.Validate(graph));
        Assert.Equal(StepKind.Foreach, graph["Start"].Kind);
        Assert.Equal("Items", graph["Start"].Transition!.ForeachVariable);

        using var store = new TempDatastore();
        var run = await new Runner(flowType, store.Options()).RunAsync();
        Assert.True(run.Successful, run.Error);
        Assert.Equal(14, run.Data["Total"].Get<int>());
    }

    [Fact]
    public async Task AFileBasedAppRunsItsFlowFromTheCommandLine()
    {
        using var store = new TempDatastore();
        var app = Path.Combine(ChildProcess.RepositoryRoot(), "examples", "FileBased", "wordcount.cs");
        var result = await ChildProcess.DotnetBuildingCheckoutAsync(store.Root, null, "run", app, "--", "run", "--text", "b a b c b a", "--datastore", store.Root, "--json");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("WordCountFlow", store.Client).LatestRun!;
        Assert.Equal("b=3", run.Data["Top"].Get<string>());
        Assert.Equal(3, run["CountWord"].Tasks.Count);
    }
}
