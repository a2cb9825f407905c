using System.Diagnostics;
using System.Text.Json;
using Sharpflow.Fixtures;
using Sharpflow.Graph;
using Sharpflow.LanguageServer;
using StreamJsonRpc;

namespace Sharpflow.Tests;

/// <summary>The language server reports the runtime's own graph rules on source files, in process and as a real LSP server over stdio.</summary>
public class LanguageServerTests
{
    private static string FixtureFolder => Path.Combine(ChildProcess.RepositoryRoot(), "tests", "Sharpflow.Fixtures");

    private static string Attributes => File.ReadAllText(Path.Combine(FixtureFolder, "FixtureAttributes.cs"));

    public static TheoryData<string> FixtureFiles() =>
        [.. Directory.GetFiles(Path.Combine(ChildProcess.RepositoryRoot(), "tests", "Sharpflow.Fixtures"), "*.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}Good{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || f.Contains($"{Path.DirectorySeparatorChar}Broken{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Path.Combine(ChildProcess.RepositoryRoot(), "tests", "Sharpflow.Fixtures"), f))
            .Order()];

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void EditorDiagnosticsAreTheRuntimesRulesOnEveryFixture(string file)
    {
        var text = File.ReadAllText(Path.Combine(FixtureFolder, file));
        var analysis = FlowDocumentAnalyzer.Analyze(text, file, [Attributes]);
        Assert.Empty(analysis.CompileErrors);

        var flow = Path.GetFileNameWithoutExtension(file);
        var type = typeof(GoodFixtureAttribute).Assembly.GetTypes().Single(t => t.Name == flow);
        var runtimeGraph = FlowGraphExtractor.Extract(type);
        var runtime = GraphValidator.Validate(runtimeGraph);
        Assert.Equal(runtime.Select(d => (d.Rule.Id, d.Step, d.Message)), analysis.Diagnostics.Select(d => (d.Diagnostic.Rule.Id, d.Diagnostic.Step, d.Diagnostic.Message)));
        // The same graph: steps, kinds, edges and labels drawn identically, and each step's transition as the runtime reads it.
        Assert.Equal(GraphSvgRenderer.Render(runtimeGraph, _ => "pending"), analysis.Graphs[flow]);
        Assert.Equal(runtimeGraph.Steps.Select(s => (s.Name, s.Transition?.ToString())).Order(), analysis.Steps.Select(s => (s.Step, s.Transition)).Distinct().Order()); // overloads (SF0018) are one step
        if (file.StartsWith("Broken", StringComparison.Ordinal) && type.GetCustomAttributes(typeof(BrokenFixtureAttribute), false).Single() is BrokenFixtureAttribute { Step: { } step })
        {
            var placed = analysis.Diagnostics.First(d => d.Diagnostic.Step == step);
            var line = text.Split('\n')[placed.StartLine];
            Assert.Equal(step, line.Substring(placed.StartColumn, placed.EndColumn - placed.StartColumn));
        }
    }

    public static TheoryData<string> EditorFixtureFiles() =>
        [.. Directory.GetFiles(Path.Combine(FixtureFolder, "Editor"), "*.cs").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(EditorFixtureFiles))]
    public void EachEditorRuleIsReportedExactlyOnItsLine(string file)
    {
        var path = Path.Combine(FixtureFolder, "Editor", file);
        var text = File.ReadAllText(path);
        var flow = Path.GetFileNameWithoutExtension(file);
        var expected = (EditorFixtureAttribute)typeof(EditorFixtureAttribute).Assembly.GetTypes().Single(t => t.Name == flow)
            .GetCustomAttributes(typeof(EditorFixtureAttribute), false).Single();

        var analysis = FlowDocumentAnalyzer.AnalyzeInProject(text, path);

        Assert.Empty(analysis.CompileErrors);
        Assert.Empty(GraphValidator.Validate(FlowGraphExtractor.Extract(typeof(EditorFixtureAttribute).Assembly.GetTypes().Single(t => t.Name == flow)))); // the runtime accepts it
        var diagnostic = Assert.Single(analysis.Diagnostics);
        Assert.Equal((expected.RuleId, expected.Step), (diagnostic.Diagnostic.Rule.Id, diagnostic.Diagnostic.Step));
        Assert.Contains($"Flow '{flow}'", diagnostic.Diagnostic.Message);
        Assert.EndsWith($"// expect: {expected.RuleId}", text.Split('\n')[diagnostic.StartLine].TrimEnd());
    }

    [Theory]
    [InlineData("    [Step] public void Train() { }\n", "SF0004")] // one-line empty body
    [InlineData("    [Step] public void Train() { Console.WriteLine(1); }\n", "SF0004")] // one-line body with a statement
    [InlineData("    [Step]\n    public void Train()\n    {\n        Console.WriteLine(1);\n    }\n", "SF0004")] // block body
    [InlineData("    [Step] public void Train() { }\n", "SF0002")] // no End step: create it (then Train gets its Next(End))
    public void QuickFixesMakeTheFlowValid(string train, string rule)
    {
        var end = rule == "SF0002" ? "" : "    [Step] public void End() { }\n";
        var text = "using Sharpflow;\n\npublic class Fixable : FlowSpec\n{\n    [Step] public void Start() => Next(Train);\n" + train + end + "}\n";
        Assert.Contains(FlowDocumentAnalyzer.Analyze(text, "Fixable.cs").Diagnostics, d => d.Diagnostic.Rule.Id == rule);

        // Apply the fix of the first fixable diagnostic, re-analyse, repeat: the flow ends up valid.
        for (var round = 0; round < 3; round++)
        {
            var fixes = FlowDocumentAnalyzer.Analyze(text, "Fixable.cs").Diagnostics
                .SelectMany(d => QuickFixes.For(text, d.Diagnostic.Rule.Id, d.StartLine, d.StartColumn)).ToArray();
            if (fixes.Length == 0)
            {
                break;
            }
            text = ApplyEdit(text, fixes[0].Edit);
        }
        var after = FlowDocumentAnalyzer.Analyze(text, "Fixable.cs");
        Assert.Empty(after.CompileErrors);
        Assert.Empty(after.Diagnostics);
        Assert.Contains("Next(End);", text);
    }

    private static string ApplyEdit(string text, QuickFixEdit edit)
    {
        var lines = text.Split('\n');
        int Offset(int line, int column) => lines.Take(line).Sum(l => l.Length + 1) + column;
        var start = Offset(edit.StartLine, edit.StartColumn);
        return text[..start] + edit.NewText + text[Offset(edit.EndLine, edit.EndColumn)..];
    }

    [Fact]
    public async Task CheckModePrintsTheEditorsDiagnosticsCompilerStyle()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Sharpflow.LanguageServer.dll");
        var warningOnly = await ChildProcess.DotnetAsync(FixtureFolder, null, server, "--check", Path.Combine("Editor", "CodeAfterTransitionFlow.cs"));
        Assert.Equal(0, warningOnly.ExitCode);
        Assert.Matches(@"^Editor/CodeAfterTransitionFlow\.cs\(16,9\): warning SF0101: Flow 'CodeAfterTransitionFlow', step 'Train'", warningOnly.Stdout);

        var broken = await ChildProcess.DotnetAsync(FixtureFolder, null, server, "--check", Path.Combine("Broken", "MissingEndFlow.cs"));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("error SF0002: Flow 'MissingEndFlow' has no step named 'End'", broken.Stdout);
    }

    [Fact]
    public void StepCellsGetTheirFlowsDiagnosticsOnTheirOwnLines()
    {
        string[] cells =
        [
            "#i \"nuget: ../artifacts/packages\"\n#r \"nuget: Sharpflow.Interactive, *-*\"",
            "#!flow-define CellLint\n[Parameter] public int Seed { get; set; } = 1;",
            "#!step start --flow CellLint --next train --foreach models\npublic List<string> models = new();\nmodels = [\"a\", \"b\"];",
            "#!step train --flow CellLint --next evaluate\npublic string? report;\nreport = best + Input<string>();",
        ];

        // `evaluate` is not written yet: the directive naming it says so; rules about the missing join are not reported yet.
        var partial = FlowDocumentAnalyzer.AnalyzeCells(cells);
        var missing = Assert.Single(partial[3].Diagnostics, d => d.Diagnostic.Rule.Id != "CS0103");
        Assert.Equal(("SF0109", 0, cells[3].IndexOf("evaluate", StringComparison.Ordinal)), (missing.Diagnostic.Rule.Id, missing.StartLine, missing.StartColumn));
        var undeclared = Assert.Single(partial[3].Diagnostics, d => d.Diagnostic.Rule.Id == "CS0103"); // `best` is declared nowhere yet: the compiler's error, on its line
        Assert.Equal((2, 9), (undeclared.StartLine, undeclared.StartColumn));
        Assert.Empty(partial[2].Diagnostics);
        Assert.Equal(("Start", 0, 7), partial[2].Steps.Select(s => (s.Step, s.Line, s.Column)).Single());

        // With the evaluate cell, `best` exists but only downstream of train writes it: the data-flow rule says so.
        string[] complete = [.. cells, "#!step evaluate --flow CellLint --join --next end\npublic string? best;\nbest = inputs.First().report;"];
        var analysis = FlowDocumentAnalyzer.AnalyzeCells(complete);
        var read = Assert.Single(analysis[3].Diagnostics);
        Assert.Equal(("SF0102", 2, 9), (read.Diagnostic.Rule.Id, read.StartLine, read.StartColumn));
        Assert.Contains("reads 'best'", read.Diagnostic.Message);
        Assert.All(analysis.Take(3).Concat(analysis.Skip(4)), a => Assert.Empty(a.Diagnostics));

        // A directive that cannot be read is an error on its line.
        var bad = FlowDocumentAnalyzer.AnalyzeCells([.. cells[..3], "#!step train --flow CellLint\nvar x = 1;"]);
        var directive = Assert.Single(bad[3].Diagnostics);
        Assert.Equal(("SF0110", 0), (directive.Diagnostic.Rule.Id, directive.StartLine));
        Assert.Contains("say where the flow goes after 'train'", directive.Diagnostic.Message);
    }

    [Fact]
    public void EveryEditorRuleHasAFixture()
    {
        var covered = typeof(EditorFixtureAttribute).Assembly.GetTypes()
            .Select(t => (t.GetCustomAttributes(typeof(EditorFixtureAttribute), false).SingleOrDefault() as EditorFixtureAttribute)?.RuleId)
            .OfType<string>().Order();
        Assert.Equal(Sharpflow.LanguageServer.Checks.EditorRules.All.Except(Sharpflow.LanguageServer.Checks.EditorRules.NotebookOnly).Except(Sharpflow.LanguageServer.Checks.EditorRules.FromCompilerErrors).Select(r => r.Id).Order(), covered);
    }

    [Fact]
    public void AnAddOnAttributeWithoutItsPackageNamesThePackage()
    {
        var folder = Directory.CreateTempSubdirectory("sharpflow-addon-");
        try
        {
            // A file outside any project sees the core package only: [Slurm] and [Schedule] need their packages.
            var path = Path.Combine(folder.FullName, "NoPackageFlow.cs");
            var text = "using Sharpflow;\n\n[Schedule(Cron = \"0 * * * *\")]\npublic class NoPackageFlow : FlowSpec\n{\n    [Step] public void Start() => Next(Train);\n"
                + "    [Step, Slurm(Partition = \"gpu\")] public void Train() => Next(End);\n    [Step] public void End() { }\n}\n";
            var analysis = FlowDocumentAnalyzer.AnalyzeInProject(text, path);
            var missing = analysis.Diagnostics.OrderBy(d => d.StartLine).ToArray();
            Assert.Equal([("SF0111", 2), ("SF0111", 6)], missing.Select(d => (d.Diagnostic.Rule.Id, d.StartLine)));
            Assert.Contains("[Schedule] comes with the package Sharpflow.Argo: add it to the flow's project (dotnet add package Sharpflow.Argo)", missing[0].Diagnostic.Message);
            Assert.Contains("[Slurm] comes with the package Sharpflow.Slurm", missing[1].Diagnostic.Message);
            Assert.Equal("Slurm", text.Split('\n')[6].Substring(missing[1].StartColumn, missing[1].EndColumn - missing[1].StartColumn));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AStepCellSentToABackendWithSettingsCompilesAgainstItsAddOn()
    {
        string[] cells =
        [
            "#!step start --flow CellRemote --next train\npublic int seed;\nseed = 3;",
            "#!step train --flow CellRemote --next end --gpu 1 --with slurm:partition=gpu,time_limit_minutes=30\npublic int squared;\nsquared = seed * seed;",
            "#!step end --flow CellRemote\n",
        ];
        var analysis = FlowDocumentAnalyzer.AnalyzeCells(cells);
        Assert.All(analysis, a => Assert.Empty(a.Diagnostics)); // [Slurm(Partition = "gpu", TimeLimitMinutes = 30)]: no SF0108 either

        var wrong = FlowDocumentAnalyzer.AnalyzeCells([cells[0], cells[1].Replace("time_limit_minutes", "time_limit", StringComparison.Ordinal), cells[2]]);
        var directive = Assert.Single(wrong[1].Diagnostics);
        Assert.Equal(("SF0110", 0), (directive.Diagnostic.Rule.Id, directive.StartLine));
        Assert.Contains("[Slurm] has no setting 'time_limit'. Its settings are: partition, account, time_limit_minutes", directive.Diagnostic.Message);
    }

    [Fact]
    public void ConfigDefaultErrorsNameTheFileAndItsLine()
    {
        var invalid = Path.Combine(FixtureFolder, "Editor", "ConfigDefaultInvalidFlow.cs");
        var diagnostic = Assert.Single(FlowDocumentAnalyzer.AnalyzeInProject(File.ReadAllText(invalid), invalid).Diagnostics);
        Assert.Contains("editor-invalid-settings.toml", diagnostic.Diagnostic.Message);
        Assert.Contains("key 'epochs' (line 3)", diagnostic.Diagnostic.Message);
        Assert.Equal(3, diagnostic.Related!.Line);
        Assert.EndsWith("editor-invalid-settings.toml", diagnostic.Related.Path);

        // A syntax error: the parser's line.
        var folder = Directory.CreateTempSubdirectory("sharpflow-config-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "editor-invalid-settings.toml"), "optimizer = \"sgd\"\n\nepochs = = 3\n");
            var copy = Path.Combine(folder.FullName, "ConfigDefaultInvalidFlow.cs");
            File.WriteAllText(copy, File.ReadAllText(invalid).Replace("class ConfigDefaultInvalidFlow", "class ConfigSyntaxFlow", StringComparison.Ordinal)
                + "\npublic sealed class EditorSettings { public int Epochs { get; init; } public string Optimizer { get; init; } = \"\"; }\n");
            var syntax = Assert.Single(FlowDocumentAnalyzer.AnalyzeInProject(File.ReadAllText(copy), copy).Diagnostics);
            Assert.Equal("SF0104", syntax.Diagnostic.Rule.Id);
            Assert.Contains("line 3: not valid TOML", syntax.Diagnostic.Message);
            Assert.Equal(3, syntax.Related!.Line);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static TheoryData<string, string> ExampleFlowFiles() => new()
    {
        { "examples/TrainFlow/TrainFlow.cs", "TrainFlow" }, // ML.NET and Plotly.NET from the project's restore
        { "examples/ConfigurableTrainFlow/VariantTrainFlow.cs", "VariantTrainFlow" }, // base flow, mutator and decorator in other files
        { "examples/HelloFlow/HelloFlow.cs", "HelloFlow" },
        { "examples/FileBased/wordcount.cs", "WordCountFlow" }, // a file-based app
    };

    [Theory]
    [MemberData(nameof(ExampleFlowFiles))]
    public void RealProjectFlowsCompileWithTheirProjectAndGetTheRuntimesGraph(string file, string flow)
    {
        var path = Path.Combine(ChildProcess.RepositoryRoot(), file);
        var analysis = FlowDocumentAnalyzer.AnalyzeInProject(File.ReadAllText(path), path);

        Assert.Empty(analysis.CompileErrors);
        Assert.Empty(analysis.Diagnostics);
        Assert.True(analysis.Graphs.ContainsKey(flow), $"no graph for {flow}; graphs: {string.Join(", ", analysis.Graphs.Keys)}");
        Assert.Contains(analysis.Steps, s => s.Flow == flow && s.Step == "Start");
    }

    [Fact]
    public async Task TheServerPublishesDiagnosticsAndServesLensesAndHoversOverStdio()
    {
        // A past run of a flow named like the document's, so hovers have datastore facts to show.
        using var store = new TempDatastore();
        var pastFlow = await Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.EvaluateAsync<Type>(
            "public class Broken : FlowSpec { public int Epochs; [Step] public void Start() => Next(Train); [Step] public void Train() { Epochs = 3; Next(End); } [Step] public void End() { } } typeof(Broken)",
            Microsoft.CodeAnalysis.Scripting.ScriptOptions.Default.AddReferences(typeof(FlowSpec).Assembly).AddImports("Sharpflow"));
        var past = await new Execution.Runner(pastFlow, store.Options()).RunAsync();

        using var server = await StdioLanguageServer.StartAsync(store.Root);
        var client = server.Client;
        var published = server.Published;
        var init = server.Initialized;
        Assert.Equal(2, init.GetProperty("capabilities").GetProperty("textDocumentSync").GetProperty("change").GetInt32());

        const string uri = "file:///work/flows/Broken.cs";
        var text = "using Sharpflow;\n\npublic class Broken : FlowSpec\n{\n    [Step] public void Start() => Next(Train);\n    [Step] public void Train() { }\n    [Step] public void End() { }\n}\n";
        await client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "csharp", version = 1, text } });
        var first = await server.NextPublishedAsync();
        var diagnostics = first.GetProperty("diagnostics").EnumerateArray().ToArray();
        Assert.Equal(["SF0004", "SF0007"], diagnostics.Select(d => d.GetProperty("code").GetString()));
        var diagnostic = diagnostics[0];
        Assert.Equal(5, diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        Assert.Contains("Flow 'Broken', step 'Train'", diagnostic.GetProperty("message").GetString());

        // An incremental edit inserts the missing transition: the diagnostic goes away.
        await client.NotifyWithParameterObjectAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 2 },
            contentChanges = new[] { new { range = new { start = new { line = 5, character = 32 }, end = new { line = 5, character = 32 } }, text = "Next(End);" } },
        });
        var second = await server.NextPublishedAsync();
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        Assert.Empty(second.GetProperty("diagnostics").EnumerateArray());

        var lenses = await client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/codeLens", new { textDocument = new { uri } });
        var titles = lenses.EnumerateArray().Select(l => l.GetProperty("command").GetProperty("title").GetString()).ToArray();
        Assert.Contains("Run flow", titles);
        Assert.Contains("Run changed steps", titles);
        Assert.Equal(3, titles.Count(t => t == "Spin this step"));
        var hover = await client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/hover", new { textDocument = new { uri }, position = new { line = 5, character = 24 } });
        var hoverText = hover.GetProperty("contents").GetProperty("value").GetString();
        Assert.Contains("Step `Train`", hoverText);
        Assert.Contains($"Latest run {past.Id}** (Succeeded): 1 task(s), 1 succeeded", hoverText);
        Assert.Contains("`Epochs` (System.Int32): 3", hoverText);
        var value = await client.InvokeWithParameterObjectAsync<JsonElement>("sharpflow/artifactValue",
            new { flow = "Broken", run = past.Id, step = "Train", task = past["Train"].Task.Id, name = "Epochs" });
        Assert.Equal("3", value.GetProperty("text").GetString());
        Assert.Equal("System.Int32", value.GetProperty("type").GetString());

        var completions = await client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/completion", new { textDocument = new { uri }, position = new { line = 4, character = 40 } });
        Assert.Equal(["Start", "Train", "End"], completions.EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        var definition = await client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/definition", new { textDocument = new { uri }, position = new { line = 4, character = 42 } });
        Assert.Equal(5, definition.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());

        // Notebook cells: the C# cells of one notebook are analysed together, in order; results map back to each cell.
        const string notebook = "vscode-notebook-cell:/work/notebooks/train.ipynb";
        await client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri = notebook + "#W0sZmlsZQ==", languageId = "csharp", version = 1, text = "#r \"nuget: Sharpflow.Interactive, *-*\"\nusing Sharpflow;\n" } });
        await client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri = notebook + "#W1sZmlsZQ==", languageId = "csharp", version = 1,
            text = "public class CellFlow : FlowSpec\n{\n    [Step] public void Start() => Next(Train);\n    [Step] public void Train() { }\n    [Step] public void End() { }\n}\n" } });
        JsonElement cell;
        do
        {
            cell = await server.NextPublishedAsync();
        }
        while (cell.GetProperty("uri").GetString() != notebook + "#W1sZmlsZQ==" || cell.GetProperty("diagnostics").GetArrayLength() == 0);
        var cellDiagnostic = cell.GetProperty("diagnostics")[0];
        Assert.Equal("SF0004", cellDiagnostic.GetProperty("code").GetString());
        Assert.Equal(3, cellDiagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());

        var graph = await client.InvokeWithParameterObjectAsync<JsonElement>("workspace/executeCommand", new { command = "sharpflow.showGraph", arguments = new[] { uri, "Broken" } });
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(graph.GetProperty("html").GetString()!, "<g class=\"step pending\"").Count);
        // Colored by the flow's latest run (the editor redraws it while the run is active).
        var live = await client.InvokeWithParameterObjectAsync<JsonElement>("workspace/executeCommand", new { command = "sharpflow.showGraph", arguments = new[] { uri, null, "latest" } }); // no flow named: the document's only one
        Assert.Equal(past.Id, live.GetProperty("run").GetString());
        Assert.False(live.GetProperty("active").GetBoolean());
        Assert.Contains("<g class=\"step succeeded\" data-step=\"Train\">", live.GetProperty("html").GetString());
        Assert.Contains("<title>Train: succeeded, 1 task</title>", live.GetProperty("html").GetString());
        Assert.Contains("svg.dag .running rect", live.GetProperty("html").GetString());

        var outline = await client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/documentSymbol", new { textDocument = new { uri } });
        Assert.Equal(["Start", "Train", "End"], outline[0].GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        await server.ShutdownAsync();
    }

    [Theory]
    [InlineData("", "Value = new HttpClient().GetStringAsync(\"http://example.invalid\").Result;", "the network (HttpClient)")]
    [InlineData("", "var http = new HttpClient(); Value = http.GetStringAsync(\"http://example.invalid\").Result;", "the network (HttpClient)")]
    [InlineData("", "Value = File.ReadAllText(\"data.txt\");", "a file (System.IO.File)")]
    [InlineData("using static System.IO.File;\n", "Value = ReadAllText(\"data.txt\");", "a file (System.IO.File)")]
    [InlineData("", "Value = new Random().Next().ToString();", "unseeded randomness (new Random())")]
    [InlineData("", "Value = Random.Shared.Next().ToString();", "unseeded randomness (Random.Shared)")]
    [InlineData("", "Value = Guid.NewGuid().ToString();", "a new GUID")]
    [InlineData("", "Value = Environment.GetEnvironmentVariable(\"HOME\") ?? \"\";", "an environment variable")]
    [InlineData("", "Value = Outer();", "the clock (DateTime.UtcNow) in Inner() in Outer()")]
    [InlineData("", "Value = this.Outer();", "the clock (DateTime.UtcNow) in Inner() in Outer()")]
    public void AReusableStepThatReadsOutsideStateIsPointedAtHoweverTheReadIsSpelled(string usings, string body, string what)
    {
        var text = usings + "using Sharpflow;\n\npublic class HazardFlow : FlowSpec\n{\n    public string Value = \"\";\n"
            + "    [Step] public void Start() => Next(Read);\n"
            + $"    [Step] public void Read() {{ {body} Next(End); }}\n"
            + "    [Step] public void End() { }\n"
            + "    private string Outer() => Inner();\n    private static string Inner() => DateTime.UtcNow.ToString(\"O\");\n}\n";
        var hazard = Assert.Single(FlowDocumentAnalyzer.Analyze(text, "HazardFlow.cs").Diagnostics, d => d.Diagnostic.Rule.Id == "SF0112");
        Assert.Contains($"step 'Read'", hazard.Diagnostic.Message);
        Assert.Contains(what, hazard.Diagnostic.Message);
    }

    [Theory]
    [InlineData("Value = new Random(42).Next().ToString();")]
    [InlineData("Value = DateTime.Parse(\"2026-01-01\").ToString(\"O\"); Console.WriteLine(Value);")]
    [InlineData("var now = \"Now\"; Value = now.ToUpperInvariant();")]
    public void AStepThatReadsNoOutsideStateIsNotPointedAt(string body)
    {
        var text = "using Sharpflow;\n\npublic class CalmFlow : FlowSpec\n{\n    public string Value = \"\";\n"
            + "    [Step] public void Start() => Next(Read);\n"
            + $"    [Step] public void Read() {{ {body} Next(End); }}\n"
            + "    [Step] public void End() { }\n}\n";
        Assert.DoesNotContain(FlowDocumentAnalyzer.Analyze(text, "CalmFlow.cs").Diagnostics, d => d.Diagnostic.Rule.Id == "SF0112");
    }

    [Fact]
    public async Task EachStepsLensSaysWhetherItIsTheCodeTheLastRunRanAndFollowsEditsBeforeAnyBuild()
    {
        // The SDK builds and runs the file-based example: the run records each step's code.
        using var store = new TempDatastore();
        var app = WordCountApp.In(store);
        var run = await app.RunFlowAsync("b a b c");

        using var server = await StdioLanguageServer.StartAsync(app.Datastore);
        var uri = new Uri(app.Path).AbsoluteUri;
        await server.Client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "csharp", version = 1, text = app.Source } });
        await server.NextPublishedAsync();
        // The editor compiles the text as the SDK did: every step is the code the run ran.
        Assert.Equal(4, (await server.LensTitlesAsync(uri)).Count(t => t == $"unchanged since run {run.Id}"));

        // An edit of the join, not saved or built: its lens says so at once, the others stay.
        await server.Client.NotifyWithParameterObjectAsync("textDocument/didChange", new { textDocument = new { uri, version = 2 }, contentChanges = new[] { new { text = app.EditedJoin } } });
        await server.NextPublishedAsync();
        var titles = await server.LensTitlesAsync(uri);
        Assert.Equal(3, titles.Count(t => t == $"unchanged since run {run.Id}"));
        Assert.Equal(1, titles.Count(t => t == $"changed since run {run.Id}"));
        var lenses = await server.Client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/codeLens", new { textDocument = new { uri } });
        var changed = lenses.EnumerateArray().Single(l => l.GetProperty("command").GetProperty("title").GetString() == $"changed since run {run.Id}");
        var joinLine = app.EditedJoin.Split('\n').ToList().FindIndex(l => l.Contains("public void Join(", StringComparison.Ordinal));
        Assert.Equal(joinLine, changed.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());

        await server.ShutdownAsync();
    }
}
