namespace Sharpflow.Tests;

/// <summary>Tests that must have the machine to themselves: xunit runs this collection alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "Runs alone";
}

/// <summary>
/// The packaged extension in real VS Code: code-server driven by Playwright in Debian's Chromium
/// (<c>vscode-extension/e2e/scenario.mjs</c>). The tools are installed once by <c>vscode-extension/e2e/setup.sh</c>
/// into <c>~/.cache/sharpflow-e2e</c> (CI runs it up front; a developer's first run installs them here, ~8 minutes).
/// Screenshots of each stage are written next to the test assembly, under <c>e2e-screenshots/</c>.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public class VsCodeEndToEndTests
{
    private static string Folder => Path.Combine(ChildProcess.RepositoryRoot(), "vscode-extension");

    [Fact]
    public async Task ADiagnosticTheRunFlowLensTheRunExplorerACardAndAnArtifactValueWorkInRealVsCode()
    {
        var chromium = await Chromium.ExecutableAsync();
        var setup = await ChildProcess.RunAsync("bash", Folder, null, TimeSpan.FromMinutes(20), "e2e/setup.sh");
        Assert.True(setup.ExitCode == 0, "e2e/setup.sh failed:\n" + setup.Stdout + setup.Stderr);

        await ChildProcess.EnsureNpmPackagesAsync(Folder, "vscode-languageclient");
        var vsix = Path.Combine(Path.GetTempPath(), $"sharpflow-e2e-{Guid.NewGuid():N}.vsix");
        try
        {
            // `npm run package` as a user runs it: the VSIX carries the self-contained language server, and the
            // scenario's workspace (outside the checkout) names no server path.
            var package = await ChildProcess.RunAsync("npm", Folder, null, TimeSpan.FromMinutes(10), "run", "package");
            Assert.True(package.ExitCode == 0, package.Stdout + package.Stderr);
            File.Move(Path.Combine(Folder, "sharpflow-linux-x64.vsix"), vsix);
            Assert.Contains("server/linux-x64/Sharpflow.LanguageServer\n", ZipEntries(vsix) + "\n");

            var screenshots = Path.Combine(AppContext.BaseDirectory, "e2e-screenshots");
            var scenario = await ChildProcess.RunAsync("bash", Folder,
                new Dictionary<string, string> { ["VSIX"] = vsix, ["CHROMIUM"] = chromium, ["SHARPFLOW_E2E_SCREENSHOTS"] = screenshots },
                TimeSpan.FromMinutes(15), "e2e/run.sh");
            var report = $"e2e/run.sh exited {scenario.ExitCode}; screenshots in {screenshots}\nstdout:\n{scenario.Stdout}\nstderr:\n{scenario.Stderr}";
            Assert.True(scenario.ExitCode == 0, report);
            foreach (var stage in new[] { "1-diagnostic", "2-run-flow", "3-run-explorer", "4-card", "5-artifact-value", "6-live-graph", "7-run-changed-steps" })
            {
                Assert.True(scenario.Stdout.Contains($"- {stage} ... ok", StringComparison.Ordinal), $"stage {stage} did not pass. " + report);
                Assert.True(File.Exists(Path.Combine(screenshots, stage + ".png")), $"no screenshot of stage {stage}. " + report);
            }
        }
        finally
        {
            File.Delete(vsix);
        }
    }

    private static string ZipEntries(string file)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(file);
        return string.Join('\n', zip.Entries.Select(e => e.FullName.Replace("extension/", "", StringComparison.Ordinal)));
    }
}
