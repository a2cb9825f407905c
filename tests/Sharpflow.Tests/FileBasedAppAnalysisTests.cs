using System.Text.Json;

namespace Sharpflow.Tests;

/// <summary>
/// The language server on a file-based app with <c>#:project</c> and <c>#:package</c> directives (transitive packages,
/// project references): once <c>dotnet build app.cs</c> (or run) has restored it, the server compiles it with that
/// restore, so its flow's graph and graph diagnostics are there.
/// </summary>
public class FileBasedAppAnalysisTests
{
    [Fact]
    public async Task ABuiltFileBasedAppWithProjectAndPackageDirectivesGetsItsGraph()
    {
        using var store = new TempDatastore();
        var repo = ChildProcess.RepositoryRoot();
        var folder = Directory.CreateDirectory(Path.Combine(store.Root, "app")).FullName;
        var file = Path.Combine(folder, "report.cs");
        var text = $$"""
            #:project {{repo}}/src/Runtime/Sharpflow.Runtime.csproj
            #:project {{repo}}/src/Cards.Plotly/Sharpflow.Cards.Plotly.csproj
            #:package Plotly.NET.CSharp@0.14.0
            using Sharpflow;
            using Sharpflow.Cards;

            return await FlowMain.RunAsync<ReportFlow>(args);

            public class ReportFlow : FlowSpec
            {
                [Step, Card]
                public void Start()
                {
                    Current.Card.Append(new PlotlyChart(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: new[] { 1.0 }, y: new[] { 2.0 })));
                    Next(Check);
                }

                [Step] public void Check() => Next(End);

                [Step] public void End() { }
            }

            """;
        await File.WriteAllTextAsync(file, text);
        var build = await ChildProcess.DotnetBuildingCheckoutAsync(folder, null, "build", file);
        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);

        await using var server = await LanguageServerProcess.StartAsync(store.Root);
        var uri = new Uri(file).AbsoluteUri;
        await server.Client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "csharp", version = 1, text } });
        var graph = await server.Client.InvokeWithParameterObjectAsync<JsonElement>("workspace/executeCommand", new { command = "sharpflow.showGraph", arguments = new[] { uri, null } });
        Assert.Equal(JsonValueKind.Object, graph.ValueKind);
        Assert.Equal("ReportFlow", graph.GetProperty("flow").GetString());
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(graph.GetProperty("html").GetString()!, "<g class=\"step ").Count);
    }
}
