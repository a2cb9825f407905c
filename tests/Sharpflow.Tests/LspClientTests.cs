namespace Sharpflow.Tests;

/// <summary>
/// The language server against an independent LSP client: the node test in <c>tests/lsp-client</c> drives the real
/// server process over stdio with the npm package <c>vscode-languageserver-protocol</c>.
/// </summary>
public class LspClientTests
{
    private static string ClientFolder => Path.Combine(ChildProcess.RepositoryRoot(), "tests", "lsp-client");

    [Fact]
    public async Task AnIndependentLspClientGetsDiagnosticsFixesLensesHoversAndCompletions()
    {
        await ChildProcess.EnsureNpmPackagesAsync(ClientFolder, "vscode-languageserver-protocol");

        // A past run of LspFlow, so hovers have a step's tasks and an artifact's stored value to show.
        using var store = new TempDatastore();
        var flow = await Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.EvaluateAsync<Type>(
            "public class LspFlow : FlowSpec { public double Accuracy; [Step] public void Start() => Next(Train); [Step] public void Train() { Accuracy = 0.93; Next(End); } [Step] public void End() { } } typeof(LspFlow)",
            Microsoft.CodeAnalysis.Scripting.ScriptOptions.Default.AddReferences(typeof(FlowSpec).Assembly).AddImports("Sharpflow"));
        await new Execution.Runner(flow, store.Options()).RunAsync();

        var result = await ChildProcess.RunAsync("node", ClientFolder, new Dictionary<string, string>
        {
            ["SHARPFLOW_LSP_SERVER"] = Path.Combine(AppContext.BaseDirectory, "Sharpflow.LanguageServer.dll"),
            ["SHARPFLOW_TEST_DATASTORE"] = store.Root,
        }, "--test", "--test-reporter=spec");

        Assert.True(result.ExitCode == 0, $"node --test failed:\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("pass 1", result.Stdout);
    }
}
