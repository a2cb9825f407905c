namespace Sharpflow.Tests;

/// <summary>
/// The VS Code extension's logic with node's test runner (no VS Code needed: command lines, run outcomes, the card
/// policy, the runs view's rows, where the language server is) and its packaging as a .vsix with @vscode/vsce. The
/// runs view's data comes from the language server (<see cref="RunExplorerTests"/>).
/// </summary>
public class VsCodeExtensionTests
{
    private static string Folder => Path.Combine(ChildProcess.RepositoryRoot(), "vscode-extension");

    [Fact]
    public async Task TheExtensionsLogicPassesItsTestsAndItPackagesAsAVsix()
    {
        await ChildProcess.EnsureNpmPackagesAsync(Folder, "vscode-languageclient");
        var tests = await ChildProcess.RunAsync("npm", Folder, null, "test");
        Assert.True(tests.ExitCode == 0, tests.Stdout + tests.Stderr);
        Assert.Contains("# fail 0", tests.Stdout);

        // The platform-neutral package (the linux-x64 one, with its bundled server, is made and used by VsCodeEndToEndTests).
        var vsix = Path.Combine(Path.GetTempPath(), $"sharpflow-{Guid.NewGuid():N}.vsix");
        try
        {
            var package = await ChildProcess.RunAsync(Path.Combine(Folder, "node_modules", ".bin", "vsce"), Folder, null, "package", "--out", vsix);
            Assert.True(package.ExitCode == 0, package.Stdout + package.Stderr);
            using var archive = System.IO.Compression.ZipFile.OpenRead(vsix);
            Assert.Contains(archive.Entries, e => e.FullName == "extension/out/src/extension.js");
            Assert.Contains(archive.Entries, e => e.FullName.StartsWith("extension/node_modules/vscode-languageclient/", StringComparison.Ordinal));
            Assert.DoesNotContain(archive.Entries, e => e.FullName.StartsWith("extension/e2e/", StringComparison.Ordinal) || e.FullName.StartsWith("extension/src/", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(vsix);
        }
    }
}
