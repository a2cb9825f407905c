using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Sharpflow.Interactive.Tests;

/// <summary>Each magic and cell directive in the real kernel, with flows defined in the test's own cells.</summary>
[Collection(KernelCollection.Name)]
public sealed class MagicTests(PackedSharpflow packed)
{
    private const string GreetFlow = """
        using Sharpflow;

        public class GreetFlow : FlowSpec
        {
            [Parameter(Help = "Who to greet")] public string Name { get; set; } = "you";
            [Parameter] public int Times { get; set; } = 1;
            public string Message = "";
            [Step] public void Start() { Message = string.Join(" ", Enumerable.Repeat($"hi {Name}", Times)); Console.WriteLine(Message); Next(End); }
            [Step] public void End() { }
        }
        """;

    [Fact]
    public async Task EveryMagicRunsItsOwnHandlerWithItsOptions()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "every-magic");
        (await session.RunAsync(GreetFlow)).Succeeded();

        // Repeated options all arrive, one occurrence of a repeatable option too, and the flow's own parameters.
        var run = (await session.RunAsync("#!flow-run GreetFlow --name Ada --times 2 --tag first --tag \"second tag\" --with retry")).Succeeded();
        Assert.Contains("hi Ada hi Ada", run.LiveView());
        var tags = (await session.RunAsync("""display(string.Join(",", new Sharpflow.Client.Flow("GreetFlow").LatestRun!.UserTags.Order()));""")).Succeeded();
        Assert.Contains("first,second tag", tags.Text);
        (await session.RunAsync("#!flow-run GreetFlow --tag only")).Succeeded();
        var views = (await session.RunAsync("""
            var latest = new Sharpflow.Client.Flow("GreetFlow").LatestRun!;
            display(latest); display(latest["Start"]); display(latest["Start"].Task); display(latest["Start"].Task["Message"]);
            """)).Succeeded().DisplayedHtml;
        Assert.Equal(4, views.Count); // the runtime's HTML formatters, found by the kernel's convention
        Assert.Contains("<h3>Run GreetFlow/", views[0]);
        Assert.Contains("<h3>Step GreetFlow/", views[1]);
        Assert.Contains("<h3>Task GreetFlow/", views[2]);
        Assert.Contains("Message (string", views[3]);

        Assert.Contains("Start", (await session.RunAsync("#!flow-resume GreetFlow --step Start")).Succeeded().DisplayedHtml[1]);
        Assert.Contains("hi you", (await session.RunAsync("#!flow-spin GreetFlow --step Start")).Succeeded().LiveView());
        Assert.Contains("class=\"dag\"", (await session.RunAsync("#!flow-show GreetFlow")).Succeeded().DisplayedHtml.Single());
        Assert.Contains("Run GreetFlow/", (await session.RunAsync("#!flow-show GreetFlow/latest")).Succeeded().Text);
        Assert.Contains("only", (await session.RunAsync("#!flow-runs GreetFlow")).Succeeded().Text);
        Assert.Contains("hi you", (await session.RunAsync("#!flow-logs GreetFlow/latest/Start")).Succeeded().Text);
        Assert.Contains("#!flow-export", (await session.RunAsync("#!flow-help")).Succeeded().Text);
        Assert.Contains("has no cards; add [Card]", (await session.RunAsync("#!flow-card GreetFlow/latest/Start")).FailedWith());
        Assert.Contains("needs --to", (await session.RunAsync("#!flow-export GreetFlow")).FailedWith());
    }

    [Fact]
    public async Task AnAddOnPackageReferencedInTheNotebookEnablesItsBackend()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "add-on");
        (await session.RunAsync(GreetFlow)).Succeeded();
        const string remoteStep = "#!step train --flow RemoteFlow --next end --gpu 1 --with slurm:partition=gpu\npublic int squared;\nsquared = 3 * 3;";

        // The core alone: --with slurm names the package to add, on a run and on a step cell.
        var run = (await session.RunAsync("#!flow-run GreetFlow --with slurm")).FailedWith();
        Assert.Contains("The compute backend 'slurm' comes with the package Sharpflow.Slurm", run);
        Assert.Contains("#r \"nuget: Sharpflow.Slurm\"", run);
        Assert.Contains("comes with the package Sharpflow.Slurm", (await session.RunAsync(remoteStep)).FailedWith());
        Assert.False(Directory.Exists(Path.Combine(session.Folder, ".sharpflow", "GreetFlow")), "no run started");

        // With the package: the step cell is sent to Slurm (with its partition), the completions offer the backend.
        (await session.RunAsync("#r \"nuget: Sharpflow.Slurm, *-*\"")).Succeeded();
        var defined = (await session.RunAsync(remoteStep)).Succeeded();
        Assert.Contains("runs on slurm: it runs when the flow runs", CellResult.StripTags(string.Join("", defined.Html)));
        var source = (await session.RunAsync("""display(Sharpflow.Compute.ComputeRequest.KnownBackends.Contains("slurm") && Sharpflow.Extensibility.AddOns.ComputeBackends.Any(b => b.Name == "slurm"));""")).Succeeded();
        Assert.Contains("True", source.Text);
    }

    [Fact]
    public async Task AFlowsOwnParametersAreOptionsAndMistakesNameWhatIsWrong()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "parameters");
        (await session.RunAsync(GreetFlow)).Succeeded();
        (await session.RunAsync("using Sharpflow;\npublic class OtherFlow : FlowSpec { [Parameter] public double Rate { get; set; } [Step] public void Start() => Next(End); [Step] public void End() { } }")).Succeeded();

        // --rate belongs to another flow: the kernel accepts the option, the run refuses it and names GreetFlow's.
        var wrongFlow = (await session.RunAsync("#!flow-run GreetFlow --rate 0.5")).FailedWith();
        Assert.Contains("Flow 'GreetFlow' has no parameter 'rate'", wrongFlow);
        Assert.Contains("Its parameters are: --name, --times.", wrongFlow);
        Assert.Contains("'abc'", (await session.RunAsync("#!flow-run GreetFlow --times abc")).FailedWith());
        // An option no flow declares is refused by the kernel's parser, before anything runs.
        Assert.Contains("Unrecognized parameter name '--nmae'", (await session.RunAsync("#!flow-run GreetFlow --nmae Ada")).FailedWith());
        Assert.Contains("No flow named 'GretFlow' is defined", (await session.RunAsync("#!flow-run GretFlow")).FailedWith());
        Assert.False(Directory.Exists(Path.Combine(session.Folder, ".sharpflow", "GreetFlow")), "no run started");

        // A flow redefined with a new parameter takes it at once.
        (await session.RunAsync(GreetFlow.Replace("public int Times", "public string Punctuation { get; set; } = \"!\";\n    [Parameter] public int Times", StringComparison.Ordinal))).Succeeded();
        (await session.RunAsync("#!flow-run GreetFlow --punctuation ?")).Succeeded();
    }

    [Fact]
    public async Task AFailedRunARefusedMagicAndAStepCellThatDoesNotCompileFailTheCell()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "failures");
        (await session.RunAsync("""
            using Sharpflow;
            public class BrokenFlow : FlowSpec
            {
                [Step] public void Start() { Console.WriteLine("about to fail"); if (DateTime.Now.Year > 2000) throw new InvalidOperationException("broken on purpose"); Next(End); }
                [Step] public void End() { }
            }
            """)).Succeeded();

        var failed = await session.RunAsync("#!flow-run BrokenFlow");
        Assert.Contains("broken on purpose", failed.FailedWith());
        Assert.Contains("about to fail", failed.Text); // the summary shows the failed task's output
        Assert.Contains(" · failed · ", System.Net.WebUtility.HtmlDecode(failed.LiveView())); // the live view's final status line

        Assert.Contains("DNI104: Missing required parameter", (await session.RunAsync("#!flow-run")).FailedWith()); // the kernel refuses it

        (await session.RunAsync("#!flow-define CellFlow\npublic int Seed { get; set; } = 1;")).Succeeded();
        var typo = (await session.RunAsync("#!step start --flow CellFlow --next end\npublic int value;\nvalue = Sed + 1;")).FailedWith();
        Assert.Contains("step cell 'Start'", typo);
        Assert.Contains("line 3", typo);
        Assert.Contains("CS0103", typo);

        // The start cell never compiled, so the flow has no Start: it must not run as a flow of End alone.
        var incomplete = (await session.RunAsync("#!flow-run CellFlow")).FailedWith();
        Assert.Contains("start step", incomplete);
        Assert.False(Directory.Exists(Path.Combine(session.Folder, ".sharpflow", "CellFlow")), "nothing ran");
    }

    [Fact]
    public async Task StepCellsUseTheNotebooksPackagesAndExportThemAsPackageDirectives()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "packages");
        (await session.RunAsync("#r \"nuget: NodaTime, 3.3.7\"")).Succeeded();

        // No C# cell has used NodaTime: the step cell compiles against the package the notebook restored.
        (await session.RunAsync("#!flow-define ClockFlow\npublic string Span = \"\";")).Succeeded();
        var start = (await session.RunAsync("#!step start --flow ClockFlow --next end\nSpan = NodaTime.Duration.FromMinutes(90).ToString();")).Succeeded();
        Assert.Contains("01:30:00", start.Text);
        (await session.RunAsync("#!step end --flow ClockFlow\nConsole.WriteLine(Span);")).Succeeded();
        (await session.RunAsync("#!flow-run ClockFlow")).Succeeded();

        (await session.RunAsync("#!flow-export ClockFlow --to flows/ClockFlow.cs --package Humanizer.Core@3.0.10")).Succeeded();
        var exported = File.ReadAllLines(Path.Combine(session.Folder, "flows", "ClockFlow.cs"));
        Assert.Contains("#:package NodaTime@3.3.7", exported);
        Assert.Contains("#:package Humanizer.Core@3.0.10", exported);
        Assert.DoesNotContain(exported, l => l.StartsWith("#:package Sharpflow.", StringComparison.Ordinal)); // the runtime is one line: #:package Sharpflow@...
    }

    [Fact]
    public async Task StepCellsAndRunsWithReuseRunOnlyWhatChanged()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "reuse");
        (await session.RunAsync("#!flow-define ReuseCells\npublic static int Square(int x) => x * x;\npublic static int Cube(int x) => x * x * x;")).Succeeded();
        (await session.RunAsync("#!step start --flow ReuseCells --next square\npublic int seed;\nseed = 3;")).Succeeded();
        const string square = "#!step square --flow ReuseCells --next end\npublic int sq;\nsq = Square(seed);\nConsole.WriteLine($\"square {sq}\");";
        var first = (await session.RunAsync(square)).Succeeded();
        Assert.Contains("square 9", first.Text);
        Assert.DoesNotContain("reused", first.Text);

        // The same cell again: its step and upstream did not change, so the earlier task is taken.
        Assert.Contains("reused", (await session.RunAsync(square)).Succeeded().Text);
        // A helper the step does not call changes: still reused. The helper it calls changes: it runs.
        (await session.RunAsync("#!flow-define ReuseCells\npublic static int Square(int x) => x * x;\npublic static int Cube(int x) => x * x * x * 1;")).Succeeded();
        Assert.Contains("reused", (await session.RunAsync(square)).Succeeded().Text);
        (await session.RunAsync("#!flow-define ReuseCells\npublic static int Square(int x) => x * x + 1;\npublic static int Cube(int x) => x * x * x * 1;")).Succeeded();
        var changed = (await session.RunAsync(square)).Succeeded();
        Assert.Contains("square 10", changed.Text);
        Assert.DoesNotContain("reused", changed.Text);

        // #!flow-run --reuse in the datastore: the second run takes every task from the first.
        (await session.RunAsync("#!flow-run ReuseCells")).Succeeded();
        (await session.RunAsync("#!flow-run ReuseCells --reuse")).Succeeded();
        var reused = (await session.RunAsync("""
            var latest = new Sharpflow.Client.Flow("ReuseCells").LatestRun!;
            display(string.Join(",", latest.Steps.Select(s => $"{s.Name}:{s.Task.Reused}")));
            """)).Succeeded();
        Assert.Contains("Start:True,square:True,End:True", reused.Text);
    }

    [Fact]
    public async Task StepCellOptionsRepeatAndBranch()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "branches");
        (await session.RunAsync("#!flow-define RouteFlow\n[Parameter] public string Mode { get; set; } = \"fast\";")).Succeeded();
        (await session.RunAsync("#!step start --flow RouteFlow --next left --next right\npublic int seed;\nseed = 2;")).Succeeded();
        (await session.RunAsync("#!step left --flow RouteFlow --next meet\npublic int a;\na = seed * 10;")).Succeeded();
        (await session.RunAsync("#!step right --flow RouteFlow --next meet\npublic int b;\nb = seed * 100;")).Succeeded();
        var meet = (await session.RunAsync("#!step meet --flow RouteFlow --join --next pick\npublic int sum;\nsum = inputs.Sum(i => i.a + i.b);\nConsole.WriteLine($\"sum {sum}\");")).Succeeded();
        Assert.Contains("sum 220", meet.Text);
        (await session.RunAsync("#!step pick --flow RouteFlow --switch mode --case fast=quick --case slow=careful\npublic string mode = \"\";\nmode = Mode;")).Succeeded();
        (await session.RunAsync("#!step quick --flow RouteFlow --next end --retry 1 --timeout 60\nConsole.WriteLine(\"quick\");")).Succeeded();
        (await session.RunAsync("#!step careful --flow RouteFlow --next end --gpu 1 --cpu 2 --memory 1G\nConsole.WriteLine(\"careful\");")).Succeeded();
        var run = (await session.RunAsync("#!flow-run RouteFlow --mode slow")).Succeeded();
        Assert.Contains("careful", run.LiveView());
        Assert.Contains("--with slurrm: There is no compute backend 'slurrm'", (await session.RunAsync("#!step careful --flow RouteFlow --next end --with slurrm\nConsole.WriteLine(1);")).FailedWith());
    }

    [Fact]
    public async Task CompletionsOfferMagicsFlowsParametersStepsAndBackends()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "completions");
        (await session.RunAsync(GreetFlow)).Succeeded();

        Assert.Superset(new HashSet<string> { "#!flow-run", "#!flow-resume", "#!flow-spin", "#!flow-show", "#!flow-runs", "#!flow-card", "#!flow-logs", "#!flow-export", "#!flow-define", "#!flow-help" },
            await CompletionsAsync(session, "#!flow-"));
        Assert.Contains("#!step", await CompletionsAsync(session, "#!st"));
        Assert.Contains("GreetFlow", await CompletionsAsync(session, "#!flow-run "));
        var runOptions = await CompletionsAsync(session, "#!flow-run GreetFlow --");
        Assert.Superset(new HashSet<string> { "--name", "--times", "--tag", "--with", "--max-workers", "--config" }, runOptions);
        Assert.Contains("Start", await CompletionsAsync(session, "#!flow-spin GreetFlow --step "));
        Assert.Superset(new HashSet<string> { "slurm", "ssh", "kubernetes" }, await CompletionsAsync(session, "#!step train --flow GreetFlow --with "));
        Assert.Superset(new HashSet<string> { "--next", "--foreach", "--join", "--switch", "--case", "--retry", "--gpu", "--with" }, await CompletionsAsync(session, "#!step train --"));
    }

    [Fact]
    public async Task ArtifactValuesShowTheirTypesAsCSharpSpellsThem()
    {
        using var session = await NotebookSession.WithSharpflowAsync(packed, "types");
        (await session.RunAsync("""
            using Sharpflow;
            public class TypesFlow : FlowSpec
            {
                public Dictionary<string, List<int>> Groups = new();
                [Step] public void Start() { Groups = new() { ["a"] = [1, 2], ["b"] = [3] }; Next(End); }
                [Step] public void End() { }
            }
            """)).Succeeded();
        (await session.RunAsync("#!flow-run TypesFlow")).Succeeded();
        var shown = (await session.RunAsync("display(new Sharpflow.Client.Flow(\"TypesFlow\").LatestRun!.Data[\"Groups\"]);")).Succeeded();
        Assert.Contains("Groups (Dictionary<string, List<int>>,", shown.Text);
    }

    private static async Task<HashSet<string>> CompletionsAsync(NotebookSession session, string code)
    {
        var result = await session.Kernel.Kernel.SendAsync(new RequestCompletions(code, new LinePosition(0, code.Length)));
        return [.. result.Events.OfType<CompletionsProduced>().SelectMany(e => e.Completions).Select(c => c.DisplayText)];
    }
}
