using Sharpflow.CellFlows;
using Sharpflow.Client;
using Sharpflow.Interactive;

namespace Sharpflow.Tests;

/// <summary>
/// A flow built across notebook cells, through the entry points the kernel glue calls (<see cref="FlowMagics.ExecuteCellAsync"/>
/// for flow and step cells, <see cref="FlowMagics.ExecuteAsync"/> for <c>#!flow</c> lines).
/// </summary>
public class CellFlowTests
{
    private const string FlowCell = """
        #!flow-define CellChurn
        [Parameter(Help = "Added to every score")] public double Bonus { get; set; } = 0.5;

        public record Scored(string Model, double Score);
        """;

    private const string StartCell = """
        #!step start --flow CellChurn --next train --foreach models
        public List<string> models = new();
        models = ["a", "bb", "ccc"];
        Console.WriteLine($"{models.Count} models");
        """;

    private const string TrainCell = """
        #!step train --flow CellChurn --next join --retry 1
        public Scored? result;
        var model = Input<string>();
        result = new Scored(model, model.Length + Bonus);
        """;

    private const string JoinCell = """
        #!step join --flow CellChurn --join --next evaluate
        public List<Scored> scores = new();
        scores = inputs.Select(i => i.result!).OrderBy(s => s.Model).ToList();
        """;

    private const string EvaluateCell = """
        #!step evaluate --flow CellChurn --next end
        public string best = "";
        best = scores.OrderByDescending(s => s.Score).First().Model;
        """;

    private const string EndCell = """
        #!step end --flow CellChurn
        Console.WriteLine($"best: {best}");
        """;

    [Fact]
    public async Task AFlowGrowsCellByCellRunsResumesAndExports()
    {
        using var store = new TempDatastore();
        var magics = new FlowMagics(store.Root);
        var display = new RecordingDisplay();

        // The flow cell compiles the members; each step cell then runs at once with its parents' outputs.
        var defined = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(FlowCell, display)).Value);
        Assert.Null(defined.Run);

        var start = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(StartCell, display)).Value);
        Assert.True(start.Run!.Successful, start.Html);
        Assert.Equal(["Start"], start.Run.Steps.Select(s => s.Name));
        Assert.Equal(["a", "bb", "ccc"], start.Run["Start"].Task["models"].Get<List<string>>());
        Assert.Contains("3 models", start.Html); // the step's output, inline
        Assert.Contains("runtime:partial", start.Run.Tags);

        var train = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(TrainCell, display)).Value);
        Assert.True(train.Run!.Successful, train.Html);
        Assert.Equal(start.Run.Id, train.Run.Record.OriginRunId); // inputs from the start cell's run
        Assert.Equal(3, train.Run["train"].Tasks.Count);
        Assert.Equal(3.5, train.Run["train"].Tasks.Single(t => t.ForeachIndexPath == "2")["result"].Get<dynamic>().Score);
        Assert.NotNull(train.Run["Start"].Task.Origin); // cloned, not run again

        var join = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(JoinCell, display)).Value);
        Assert.Equal(["a", "bb", "ccc"], ((IEnumerable<dynamic>)join.Run!["join"].Task["scores"].Value!).Select(s => (string)s.Model));
        var evaluate = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(EvaluateCell, display)).Value);
        Assert.Equal("ccc", evaluate.Run!["evaluate"].Task["best"].Get<string>());
        var end = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(EndCell, display)).Value);
        Assert.True(end.Run!.Successful, end.Html);

        // Nothing of that is in the real datastore; #!flow run runs the assembled flow there.
        Assert.Empty(new Flow("CellChurn", store.Client).Runs);
        var full = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow run CellChurn", display)).Value);
        Assert.True(full.Successful, full.Error);
        Assert.Equal("ccc", full.Data["best"].Get<string>());
        Assert.Equal(3, full["train"].Tasks.Count);

        // A step cell run after a real run takes its inputs from that run.
        var again = Assert.IsType<CellResult>((await magics.ExecuteCellAsync(EvaluateCell, display)).Value);
        Assert.Equal(full.Id, again.Run!.Record.OriginRunId);

        // Edit evaluate, then resume from it: only evaluate and end run again, with the new code.
        var edited = EvaluateCell.Replace("OrderByDescending", "OrderBy", StringComparison.Ordinal);
        Assert.IsType<CellResult>((await magics.ExecuteCellAsync(edited, display)).Value);
        var resumed = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow resume CellChurn --step evaluate", display)).Value);
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal("a", resumed.Data["best"].Get<string>());
        Assert.All(resumed["train"].Tasks, t => Assert.NotNull(t.Origin));
        Assert.Null(resumed["evaluate"].Task.Origin);

        // Export: a flow file the CLI runs to the same artifacts, that `check` and the editor accept.
        var folder = Path.Combine(store.Root, "flows");
        var exported = (await magics.ExecuteAsync($"#!flow export CellChurn --to {Path.Combine(folder, "CellChurn.cs")}", display)).Value;
        Assert.Contains("exported", exported!.ToString());
        var file = Path.Combine(folder, "CellChurn.cs");
        var text = File.ReadAllText(file);
        Assert.StartsWith("#:project ", text);
        Assert.Contains("return await FlowMain.RunAsync<CellChurn>(args);", text);
        Assert.DoesNotContain("#line", text);

        var cliStore = Path.Combine(store.Root, "cli");
        var cliRun = await ChildProcess.DotnetBuildingCheckoutAsync(folder, null, "run", file, "--", "run", "--datastore", cliStore);
        Assert.True(cliRun.ExitCode == 0, cliRun.Stdout + cliRun.Stderr);
        var fromCli = new Flow("CellChurn", new ClientOptions { DatastoreRoot = cliStore }).LatestRun!;
        Assert.Equal(resumed.Data["best"].Get<string>(), fromCli.Data["best"].Get<string>());
        Assert.Equal(
            ((IEnumerable<dynamic>)resumed.Data["scores"].Value!).Select(s => $"{s.Model}={s.Score}"),
            ((IEnumerable<dynamic>)fromCli.Data["scores"].Value!).Select(s => $"{s.Model}={s.Score}"));
        var check = await ChildProcess.DotnetBuildingCheckoutAsync(folder, null, "run", file, "--", "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        var editor = LanguageServer.FlowDocumentAnalyzer.AnalyzeInProject(text, file);
        Assert.Empty(editor.CompileErrors);
        Assert.Empty(editor.Diagnostics);
    }

    [Fact]
    public async Task AMistakeInACellNamesTheCellAndLineAndLeavesTheFlowAsItWas()
    {
        using var store = new TempDatastore();
        var magics = new FlowMagics(store.Root);
        var display = new RecordingDisplay();
        Assert.IsType<CellResult>((await magics.ExecuteCellAsync(StartCell.Replace("CellChurn", "CellTypo", StringComparison.Ordinal), display)).Value);

        var typo = """
            #!step train --flow CellTypo --next end

            var model = Input<string>();
            var size = modle.Length;
            """;
        var error = Assert.IsType<HtmlResult>((await magics.ExecuteCellAsync(typo, display)).Value);
        Assert.Contains("Flow 'CellTypo', step cell 'train' (`#!step train --flow CellTypo --next end`), line 4: error CS0103: The name 'modle' does not exist", Text(error));
        Assert.Equal(["Start"], magics.Cells.Catalog.Find("CellTypo")!.Steps.Select(s => s.Step)); // the failed cell changed nothing

        var early = typo.Replace("var size = modle.Length;", "if (model.Length > 1) return;", StringComparison.Ordinal);
        var returned = Assert.IsType<HtmlResult>((await magics.ExecuteCellAsync(early, display)).Value);
        Assert.Contains("line 4: error: a step cell's body runs to its end", Text(returned));

        var badDirective = Assert.IsType<HtmlResult>((await magics.ExecuteCellAsync("#!step train --flow CellTypo --foreach models\n", display)).Value);
        Assert.Contains("--foreach models runs one step for each item; name exactly one with --next", Text(badDirective));

        var incomplete = Assert.IsType<HtmlResult>((await magics.ExecuteAsync("#!flow run CellTypo", display)).Value);
        Assert.Contains("no cell defines step 'train' (named by step cell 'Start')", Text(incomplete));
    }

    private static string Text(HtmlResult result) => System.Net.WebUtility.HtmlDecode(result.Html);

    [Fact]
    public async Task BranchesJoinsAndSwitchesWrittenAsCellsRunLikeAnyFlow()
    {
        using var store = new TempDatastore();
        var magics = new FlowMagics(store.Root);
        var display = new RecordingDisplay();
        string[] cells =
        [
            "#!step start --flow CellRoute --next left --next right\npublic int seed;\nseed = 4;",
            "#!step left --flow CellRoute --next merge\npublic int value;\nvalue = seed * 2;",
            "#!step right --flow CellRoute --next merge --timeout 30\npublic int value;\nvalue = seed + 1;",
            "#!step merge --flow CellRoute --join --next route\npublic int total;\npublic string mode = \"\";\ntotal = inputs.Sum(i => i.value);\nmode = total > 10 ? \"high\" : \"low\";",
            "#!step route --flow CellRoute --switch mode --case high=big --case low=small\nConsole.WriteLine(mode);",
            "#!step big --flow CellRoute --next end\npublic string verdict = \"\";\nverdict = $\"big {total}\";",
            "#!step small --flow CellRoute --next end\nverdict = $\"small {total}\";",
        ];
        foreach (var cell in cells)
        {
            var result = (await magics.ExecuteCellAsync(cell, display)).Value;
            Assert.True(result is CellResult { Run.Successful: true }, $"`{cell.Split('\n')[0]}`: {result}");
        }

        var run = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow-run CellRoute", display)).Value);
        Assert.True(run.Successful, run.Error);
        Assert.Equal("big 13", run.Data["verdict"].Get<string>());
        Assert.DoesNotContain(run.Steps, s => s.Name == "small");
        Assert.Equal(new[] { "Start", "left", "right", "merge", "route", "big", "End" }.Order(), run.Steps.Select(s => s.Name).Order());
    }

    [Fact]
    public void StepDirectivesCoverEveryTransitionAndTheCommonDecorators()
    {
        var branch = Assert.IsType<StepCell>(FlowCellParser.Parse("#!step start --flow F --next a --next b\n"));
        Assert.Equal("Next(a, b);", branch.Transition.Statement());
        var foreachCell = Assert.IsType<StepCell>(FlowCellParser.Parse("#!step Start --flow F --next fit --foreach models --retry 2 --catch error --timeout 60 --gpu 1 --cpu 4 --memory 16G --card\n"));
        Assert.Equal("Next(fit, forEach: nameof(models));", foreachCell.Transition.Statement());
        Assert.Equal(["Retry(Times = 2)", "Catch(Var = \"error\")", "Timeout(Seconds = 60)", "Resources(Gpu = 1, Cpu = 4, Memory = \"16G\")", "Card"], foreachCell.Decorators);
        var switchCell = Assert.IsType<StepCell>(FlowCellParser.Parse("#!step route --flow F --switch mode --case fast=quick --case slow=End\n"));
        Assert.Equal("Switch(nameof(mode), new() { [\"fast\"] = quick, [\"slow\"] = End });", switchCell.Transition.Statement());
        var join = Assert.IsType<StepCell>(FlowCellParser.Parse("#!step join --flow F --join --next end\n"));
        Assert.True(join.Transition.Join);
        Assert.Equal("Next(End);", join.Transition.Statement());
        Assert.Null(FlowCellParser.Parse("var x = 1;"));
        Assert.Contains("unknown option --gpus", Assert.Throws<ArgumentException>(() => FlowCellParser.Parse("#!step a --flow F --next b --gpus 1")).Message);
        Assert.Contains("say where the flow goes after 'a'", Assert.Throws<ArgumentException>(() => FlowCellParser.Parse("#!step a --flow F")).Message);
    }
}
