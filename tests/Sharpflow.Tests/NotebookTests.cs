using System.Xml.Linq;
using Sharpflow.CellFlows;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Sharpflow.Client;
using Sharpflow.Formatting;
using Sharpflow.Interactive;
using Sharpflow.Metadata;

namespace Sharpflow.Tests;

/// <summary>What the notebook extension does, through the library entry points its magics call.</summary>
public class NotebookTests
{
    private static ScriptOptions Options => ScriptOptions.Default
        .AddReferences(typeof(FlowSpec).Assembly, typeof(FlowMagics).Assembly)
        .AddImports("System", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks", "Sharpflow", "Sharpflow.Interactive", "Sharpflow.Client");

    private static XElement WellFormed(string html) => XElement.Parse("<root>" + html + "</root>");

    [Fact]
    public void MagicLinesParseArgumentsOptionsAndQuotes()
    {
        var line = MagicLine.Parse("#!flow run TrainFlow --lr 0.1 --tag a --tag \"b c\" --verbose --name 'x y'");

        Assert.Equal("run", line.Command);
        Assert.Equal(["TrainFlow"], line.Arguments);
        Assert.Equal("0.1", line.Option("lr"));
        Assert.Equal(["a", "b c"], line.All("tag"));
        Assert.Equal("true", line.Option("verbose"));
        Assert.Equal("x y", line.Option("name"));
        Assert.Throws<ArgumentException>(() => MagicLine.Parse("#!flow run 'open"));
    }

    [Fact]
    public async Task FormattersShowRunsTasksArtifactsAndGraphsAsEscapedWellFormedHtml()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<Flows.HostileCardFlow>();
        var formatters = new NotebookFormatterSource().CreateTypeFormatters().Cast<NotebookFormatter>().ToArray();
        string Html(object value)
        {
            var writer = new StringWriter();
            Assert.True(formatters.First(f => f.MimeType == "text/html" && f.Type.IsInstanceOfType(value)).Format(value, writer));
            return writer.ToString();
        }

        var runHtml = Html(run);
        WellFormed(runHtml);
        Assert.Contains("Run HostileCardFlow/", runHtml);
        Assert.Equal(2, WellFormed(runHtml).Descendants().Count(e => e.Name.LocalName == "g" && (string?)e.Attribute("class") == "step succeeded"));
        var taskHtml = Html(run["Start"].Task);
        WellFormed(taskHtml);
        Assert.DoesNotContain("<script>document", taskHtml);
        Assert.Contains("&lt;script&gt;document.body", taskHtml);
        WellFormed(Html(run["Start"].Task["Notes"]));
        WellFormed(Html(Graph.FlowGraphExtractor.Extract(typeof(Flows.HostileCardFlow))));
        Assert.Contains("srcdoc=\"&lt;!DOCTYPE html&gt;", Html(run["Start"].Task.Cards[0]));
        Assert.Contains(formatters, f => f.MimeType == "text/plain" && f.Type == typeof(Run));
    }

    [Fact]
    public async Task AFlowDefinedInOneCellRunsFromAnotherAndResumesAfterItIsRedefined()
    {
        using var store = new TempDatastore();
        var magics = new FlowMagics(store.Root);
        var state = await CSharpScript.RunAsync("""
            public class CellFlow : FlowSpec
            {
                public List<int> Items = new();
                public int Value;
                public int Total;
                [Step] public void Start() { Items = new() { 1, 2, 3 }; Next(Body, forEach: nameof(Items)); }
                [Step] public void Body() { if (Input<int>() == 2) throw new InvalidOperationException("cell 1 has a bug"); Value = Input<int>(); Next(Join); }
                [Step] public void Join(Inputs<CellFlow> inputs) { Total = inputs.Sum(i => i.Value); Next(End); }
                [Step] public void End() { }
            }
            """, Options);

        var display = new RecordingDisplay();
        var first = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow run CellFlow", display)).Value);
        Assert.Equal(RunStatus.Failed, first.Status);
        Assert.Contains(display.Outputs[0], html => System.Net.WebUtility.HtmlDecode(html).Contains(" · failed · ", StringComparison.Ordinal)); // the live view's status line

        await state.ContinueWithAsync("""
            public class CellFlow : FlowSpec
            {
                public List<int> Items = new();
                public int Value;
                public int Total;
                [Step] public void Start() { Items = new() { 1, 2, 3 }; Next(Body, forEach: nameof(Items)); }
                [Step] public void Body() { Value = Input<int>() * 10; Next(Join); }
                [Step] public void Join(Inputs<CellFlow> inputs) { Total = inputs.Sum(i => i.Value); Next(End); }
                [Step] public void End() { }
            }
            """, Options);
        var resumed = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow resume CellFlow", new RecordingDisplay())).Value);

        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(60, resumed.Data["Total"].Get<int>());
        Assert.NotNull(resumed["Start"].Task.Origin);
        Assert.Equal(first.Id, resumed.Record.OriginRunId);
        Assert.Equal(resumed.Id, new Flow("CellFlow", store.Client).LatestRun!.Id);
    }

    [Fact]
    public async Task TheLiveViewUpdatesInPlaceAndErrorsComeBackAsReadableHtml()
    {
        using var store = new TempDatastore();
        var magics = new FlowMagics(store.Root);
        var display = new RecordingDisplay();

        var run = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow run ValueSemanticsFlow --max-workers 2 --tag notebook", display)).Value);

        Assert.True(run.Successful, run.Error);
        Assert.Contains("notebook", run.UserTags);
        var versions = Assert.Single(display.Outputs);
        Assert.True(versions.Count >= 2, "the live view was updated in place");
        Assert.Contains("succeeded", versions[^1]);
        Assert.Contains(versions, v => v.Contains("<g class=\"step succeeded fanout\" data-step=\"Mutate\">", StringComparison.Ordinal)); // the DAG, live: the foreach as a fan-out
        WellFormed(versions[^1]);

        var refused = await magics.ExecuteAsync("#!flow run NoSuchFlow", display);
        Assert.True(refused.Failed, "a refused magic fails the cell");
        var unknown = Assert.IsType<HtmlResult>(refused.Value);
        Assert.Contains("No flow named 'NoSuchFlow' is defined", System.Net.WebUtility.HtmlDecode(unknown.Html));
        var broken = Assert.IsType<HtmlResult>((await magics.ExecuteAsync("#!flow run MissingTransitionFlow", display)).Value);
        Assert.Contains("SF0004", broken.Html);
        var card = Assert.IsType<HtmlResult>((await magics.ExecuteAsync($"#!flow logs ValueSemanticsFlow/{run.Id}/Mutate", display)).Value);
        Assert.Contains("ValueSemanticsFlow/", card.Html);
        Assert.IsType<Graph.FlowGraph>((await magics.ExecuteAsync("#!flow show ValueSemanticsFlow", display)).Value);
        Assert.IsType<Run>((await magics.ExecuteAsync($"#!flow show ValueSemanticsFlow/{run.Id}", display)).Value);
        Assert.IsType<Flow>((await magics.ExecuteAsync("#!flow runs ValueSemanticsFlow", display)).Value);
        var spun = Assert.IsType<Run>((await magics.ExecuteAsync($"#!flow spin ValueSemanticsFlow Mutate --run-id {run.Id}", display)).Value);
        Assert.True(spun.Successful, spun.Error);
        Assert.Contains("Mutate", FlowMagics.StepCompletions());
        Assert.Contains(run.Id, magics.RunIdCompletions());
    }

    [Fact]
    public async Task AFinishedRunShowsItsCardsInlineAndAFailedOneItsErrorAndOutput()
    {
        using var store = new TempDatastore();
        var magics = new FlowMagics(store.Root);
        var display = new RecordingDisplay();

        var outcome = await magics.ExecuteAsync("#!flow run ManyCardsFlow", display);
        var run = Assert.IsType<Run>(outcome.Value);
        Assert.False(outcome.Failed);
        Assert.Single(display.Outputs); // the live view; the summary and the cards follow it
        Assert.Equal(3, outcome.Outputs.Count); // the run's summary, then the two cards of Start
        Assert.All(outcome.Outputs.Skip(1), o => Assert.StartsWith("<iframe class=\"sf-card\"", Assert.IsType<HtmlResult>(o).Html));
        var card = Assert.IsType<HtmlResult>((await magics.ExecuteAsync($"#!flow card ManyCardsFlow/{run.Id}/Start/{run["Start"].Task.Id}", display)).Value);
        Assert.Contains("srcdoc=", card.Html);

        var failedOutcome = await magics.ExecuteAsync("#!flow run FailingFlow --max-workers 1", display);
        var failed = Assert.IsType<Run>(failedOutcome.Value);
        Assert.True(failedOutcome.Failed, "a failed run fails the cell");
        Assert.Contains("item 2 is poisoned", failedOutcome.Failure);
        var summary = NotebookViews.Run(failed);
        Assert.Contains("item 2 is poisoned", summary);
        Assert.Contains("working on 2", summary);
        WellFormed(summary);
    }
}
