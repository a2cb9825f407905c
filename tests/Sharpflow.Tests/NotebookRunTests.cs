using System.Text.Json;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Sharpflow.Interactive;

namespace Sharpflow.Tests;

/// <summary>What a notebook cell can call, standing in for the kernel's own helpers.</summary>
public sealed class NotebookGlobals
{
    public List<object?> Displayed { get; } = [];

    public void display(object? value) => Displayed.Add(value);
}

/// <summary>
/// Runs every code cell of the notebooks under notebooks/, top to bottom, through the library entry points the magics
/// call: C# cells as script submissions (one continuing state, as the kernel keeps), <c>#!flow</c> cells through
/// <see cref="FlowMagics"/>. Package lines (<c>#i</c>, <c>#r "nuget:</c>) are satisfied by this project's references.
/// </summary>
public class NotebookRunTests
{
    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(ChildProcess.RepositoryRoot(), "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task EveryCellRunsTopToBottom(string notebook)
    {
        using var store = new TempDatastore();
        var previous = Environment.GetEnvironmentVariable(Datastore.DatastoreLocation.RootVariable);
        Environment.SetEnvironmentVariable(Datastore.DatastoreLocation.RootVariable, store.Root);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "notebooks", notebook)));
            Assert.Equal("csharp", document.RootElement.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
            var globals = new NotebookGlobals();
            var magics = new FlowMagics(store.Root);
            var options = ScriptOptions.Default
                .AddReferences(typeof(FlowSpec).Assembly, typeof(FlowMagics).Assembly, typeof(Cards.PlotlyChart).Assembly, typeof(Plotly.NET.CSharp.Chart).Assembly)
                .AddImports("System", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks");
            ScriptState? state = null;
            var cells = 0;
            foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
            {
                cells++;
                var source = cell.GetProperty("source").ValueKind == JsonValueKind.Array
                    ? string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString()))
                    : cell.GetProperty("source").GetString()!;
                var code = string.Join('\n', source.Split('\n').Where(l => !l.StartsWith("#i ", StringComparison.Ordinal) && !l.StartsWith("#r \"nuget:", StringComparison.Ordinal)));
                if (Sharpflow.CellFlows.FlowCellParser.IsFlowCell(code))
                {
                    var result = await magics.ExecuteCellAsync(code, new RecordingDisplay());
                    Assert.True(result is CellResult { Run: null or { Successful: true } }, $"{notebook}: cell `{code.Trim().Split('\n')[0]}` failed: {result}");
                    globals.Displayed.Add(result);
                }
                else if (code.TrimStart().StartsWith("#!flow", StringComparison.Ordinal))
                {
                    // The kernel runs with the notebook's folder as working directory; here files it writes go to the temp folder.
                    var line = System.Text.RegularExpressions.Regex.Replace(code.Trim(), @"--to (?!/)(\S+)", m => $"--to {Path.Combine(store.Root, m.Groups[1].Value)}");
                    var result = await magics.ExecuteAsync(line, new RecordingDisplay());
                    Assert.False(result is HtmlResult html && html.Html.Contains("<b>Sharpflow: </b>", StringComparison.Ordinal), $"{notebook}: `{code.Trim()}` failed: {result}");
                    if (code.TrimStart().StartsWith("#!flow resume", StringComparison.Ordinal))
                    {
                        Assert.True(result is Client.Run { Successful: true }, $"{notebook}: `{code.Trim()}` did not succeed");
                    }
                    globals.Displayed.Add(result);
                }
                else if (code.Trim().Length > 0)
                {
                    state = state is null
                        ? await CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals))
                        : await state.ContinueWithAsync(code, options);
                }
            }
            Assert.True(cells >= 4, $"{notebook} has {cells} code cells");
            Assert.NotEmpty(globals.Displayed);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Datastore.DatastoreLocation.RootVariable, previous);
        }
    }
}
