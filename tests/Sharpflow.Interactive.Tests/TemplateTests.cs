using System.Text.Json.Nodes;
using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// A newcomer's path: the packed templates (Sharpflow.Templates) installed into a private template hive, a project and a
/// file-based flow made from them in a temporary folder outside the checkout, against the packed packages as a local
/// feed; then built, run, tested, their notebook executed in Jupyter with the real .NET kernel, and their runs listed by
/// the packed <c>sharpflow</c> tool.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TemplateTests(PackedSharpflow packed) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("sharpflow-template-").FullName;

    private string Hive => Path.Combine(_work, "template-hive");

    [Fact]
    public async Task TheProjectTemplateBuildsRunsPassesItsTestsAndItsNotebookRunsTheFlow()
    {
        await InstallTemplatesAsync();
        await DotnetAsync(_work, "new", "sharpflow", "-n", "Churn", "-o", "Churn", "--feed", packed.Packages, "--debug:custom-hive", Hive);
        var project = Path.Combine(_work, "Churn");
        foreach (var file in new[] { "Churn.slnx", "src/Churn/Churn.csproj", "src/Churn/ChurnFlow.cs", "tests/Churn.Tests/ChurnFlowTests.cs", "notebooks/Churn.ipynb", ".gitignore", "README.md", "nuget.config" })
        {
            Assert.True(File.Exists(Path.Combine(project, file)), $"the template made no {file}");
        }
        Assert.Contains($"Include=\"Sharpflow\" Version=\"{packed.Version}\"", File.ReadAllText(Path.Combine(project, "src", "Churn", "Churn.csproj")));
        Assert.Contains(".sharpflow/", File.ReadAllText(Path.Combine(project, ".gitignore")));

        await DotnetAsync(project, "build");
        // The package's build defaults reach the flow program: no Dynamic PGO (Sharpflow.props).
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(project, "src", "Churn", "bin"), "Churn.runtimeconfig.json", SearchOption.AllDirectories).Single()))!;
        Assert.False(runtimeConfig["runtimeOptions"]!["configProperties"]!["System.Runtime.TieredPGO"]!.GetValue<bool>());
        var run = await DotnetAsync(project, "run", "--no-build", "--project", "src/Churn", "--", "run");
        Assert.Contains("best setting 3", run.Stdout + run.Stderr);
        var test = await DotnetAsync(project, "test", "--no-build");
        Assert.Contains("Passed!", test.Stdout);
        Assert.Contains("Passed:     2", test.Stdout);

        // The packed sharpflow tool lists the run without the flow's code.
        var tools = Path.Combine(_work, "tools");
        await DotnetAsync(_work, "tool", "install", "Sharpflow.Cli", "--tool-path", tools, "--version", packed.Version, "--add-source", packed.Packages);
        // On linux-x64 the installed command is the native program from the tool's linux-x64 package.
        var command = new FileInfo(Path.Combine(tools, "sharpflow")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "";
        Assert.Contains($"sharpflow.cli.{NativeTool.RuntimeIdentifier}", command);
        using (var program = File.OpenRead(command))
        {
            Assert.Equal(0x7F, program.ReadByte()); // an ELF executable, not a .NET assembly (MZ)
        }
        var runs = await ChildProcess.RunAsync(Path.Combine(tools, "sharpflow"), project, null, "runs");
        Assert.True(runs.ExitCode == 0, runs.Stdout + runs.Stderr);
        Assert.Contains("ChurnFlow", runs.Stdout);
        Assert.Contains("Succeeded", runs.Stdout);

        // The notebook loads the built flow and runs it in the real kernel, executed by Jupyter.
        var jupyter = await JupyterSetup.CreateAsync(Path.Combine(_work, "jupyter"));
        var executed = Path.Combine(_work, "executed.ipynb");
        var convert = await ChildProcess.RunAsync(JupyterSetup.Jupyter, Path.Combine(project, "notebooks"), jupyter.Environment, TimeSpan.FromMinutes(10),
            ["nbconvert", "--to", "notebook", "--execute", "Churn.ipynb", "--output", executed, "--ExecutePreprocessor.timeout=600"]);
        Assert.True(convert.ExitCode == 0, $"the template's notebook did not execute:\n{convert.Stdout}\n{convert.Stderr}");
        var outputs = JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!.ToJsonString()).ToArray();
        Assert.DoesNotContain(outputs, o => o.Contains("\"output_type\":\"error\"", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Contains("ChurnFlow", StringComparison.Ordinal) && o.Contains("succeeded", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(outputs, o => o.Contains("best setting 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFileTemplateRunsAsAFileBasedApp()
    {
        await InstallTemplatesAsync();
        var folder = Directory.CreateDirectory(Path.Combine(_work, "file")).FullName;
        await DotnetAsync(folder, "new", "sharpflow-file", "-n", "wordcount", "--debug:custom-hive", Hive);
        var source = File.ReadAllText(Path.Combine(folder, "wordcount.cs"));
        Assert.StartsWith($"#:package Sharpflow@{packed.Version}", source);
        File.WriteAllText(Path.Combine(folder, "nuget.config"),
            $"<configuration><packageSources><add key=\"sharpflow\" value=\"{packed.Packages}\" /></packageSources></configuration>");

        var run = await DotnetAsync(folder, "run", "wordcount.cs", "--", "run", "--text", "one two three|four five");
        Assert.Contains("5 words in 2 lines", run.Stdout + run.Stderr);
        var dump = await DotnetAsync(folder, "run", "wordcount.cs", "--", "dump", "latest/End");
        Assert.Contains("Total : int (4 bytes) = 5", dump.Stdout);
    }

    [Fact]
    public async Task TheFileTemplatePublishesAsANativeProgramThatRunsTheFlow()
    {
        await InstallTemplatesAsync();
        var folder = Directory.CreateDirectory(Path.Combine(_work, "native")).FullName;
        await DotnetAsync(folder, "new", "sharpflow-file", "-n", "wordcount", "--debug:custom-hive", Hive);
        File.WriteAllText(Path.Combine(folder, "nuget.config"),
            $"<configuration><packageSources><add key=\"sharpflow\" value=\"{packed.Packages}\" /></packageSources></configuration>");

        // A file-based app publishes ahead of time (NativeAOT) by default; the package's build targets add the flow manifest.
        var output = Path.Combine(folder, "out");
        var publish = await NativeTool.DotnetInAsync(folder, "publish", "wordcount.cs", "-o", output);
        Assert.True(publish.ExitCode == 0, $"the native publish failed:\n{publish.Stdout}\n{publish.Stderr}");
        // Compiled against the package's IL reference assembly, not its precompiled image (which warns CS8012 under a
        // runtime identifier), and no Sharpflow code asks for an assembly's file (IL3000): the two per-assembly trim
        // summaries (IL2104, IL3053) are all the publish reports.
        var warnings = (publish.Stdout + publish.Stderr).Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).ToArray();
        Assert.True(warnings.All(w => w.Contains("IL2104", StringComparison.Ordinal) || w.Contains("IL3053", StringComparison.Ordinal)),
            "the native publish warned:\n" + string.Join('\n', warnings));
        Assert.True(File.Exists(Path.Combine(output, "wordcount.flows.json")), $"no flow manifest beside the program:\n{publish.Stdout}");
        var program = Path.Combine(output, "wordcount");
        using (var image = File.OpenRead(program))
        {
            Assert.Equal(0x7F, image.ReadByte()); // an ELF executable, not a .NET assembly
        }

        var run = await ChildProcess.RunAsync(program, folder, null, "run", "--text", "one two three|four five");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("5 words in 2 lines", run.Stdout + run.Stderr);
        // The same file on the JIT reads the native program's run.
        var dump = await DotnetAsync(folder, "run", "wordcount.cs", "--", "dump", "latest/End");
        Assert.Contains("Total : int (4 bytes) = 5", dump.Stdout);
    }

    private Task InstallTemplatesAsync() =>
        DotnetAsync(_work, "new", "install", Path.Combine(packed.Packages, $"Sharpflow.Templates.{packed.Version}.nupkg"), "--debug:custom-hive", Hive);

    private static async Task<ChildProcess.Result> DotnetAsync(string folder, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync("dotnet", folder, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            TimeSpan.FromMinutes(10), arguments);
        Assert.True(result.ExitCode == 0, $"`dotnet {string.Join(' ', arguments)}` in {folder} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result;
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
