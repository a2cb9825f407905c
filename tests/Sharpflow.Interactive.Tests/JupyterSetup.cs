using System.Text.Json.Nodes;
using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// Jupyter with the real .NET kernel, as a user sets it up: Debian's Jupyter (notebook, nbconvert, nbclient) and the
/// kernel tool Microsoft.dotnet-interactive 1.0.712001, its kernel registered by <c>dotnet interactive jupyter install</c>
/// in a private Jupyter folder (the user's own Jupyter setup is not touched) with <c>--http-local-only</c>, so the
/// kernel's HTTP listener binds loopback only. Installs what is missing when the tests run as root (as CI does).
/// </summary>
public sealed class JupyterSetup
{
    /// <summary>The kernel tool's version the notebooks are tested with.</summary>
    public const string ToolVersion = "1.0.712001";

    /// <summary>Debian's Jupyter front end.</summary>
    public const string Jupyter = "/usr/bin/jupyter";

    private static readonly string[] DebianPackages = ["jupyter-notebook", "python3-nbconvert", "jupyter-nbconvert", "python3-nbclient"];
    private static readonly string Tools = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".dotnet", "tools");

    private JupyterSetup(string folder, IReadOnlyDictionary<string, string> environment)
    {
        Folder = folder;
        Environment = environment;
    }

    /// <summary>The private Jupyter folder (kernel specs, config, runtime files).</summary>
    public string Folder { get; }

    /// <summary>The environment Jupyter runs with: the private folder, and the kernel tool on PATH.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Installs what is missing and registers the .NET kernel under <paramref name="folder"/>.</summary>
    public static async Task<JupyterSetup> CreateAsync(string folder)
    {
        await EnsureJupyterAsync();
        await EnsureKernelToolAsync();
        var kernels = Directory.CreateDirectory(Path.Combine(folder, "kernels")).FullName; // the tool prints its usage when it is missing
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"/usr/bin:{System.Environment.GetEnvironmentVariable("PATH")}:{Tools}",
            ["JUPYTER_PATH"] = folder,
            ["JUPYTER_DATA_DIR"] = folder,
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(folder, "config"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(folder, "runtime"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        var install = await ChildProcess.RunAsync(Path.Combine(Tools, "dotnet-interactive"), folder, environment, "jupyter", "install", "--path", kernels);
        Assert.True(install.ExitCode == 0, $"dotnet interactive jupyter install failed:\n{install.Stdout}\n{install.Stderr}");
        var spec = Path.Combine(kernels, ".net-csharp", "kernel.json");
        var kernel = JsonNode.Parse(File.ReadAllText(spec))!;
        var argv = kernel["argv"]!.AsArray();
        Assert.Contains("{connection_file}", argv.Select(a => a!.GetValue<string>()));
        argv.Add("--http-local-only");
        File.WriteAllText(spec, kernel.ToJsonString());
        return new JupyterSetup(folder, environment);
    }

    private static async Task EnsureJupyterAsync()
    {
        await SystemPackages.EnsureAsync("The Jupyter notebook tests", [Jupyter, "/usr/bin/jupyter-nbconvert", "/usr/bin/jupyter-notebook"], DebianPackages);
        var nbconvert = await ChildProcess.RunAsync(Jupyter, "/", null, "nbconvert", "--version");
        Assert.True(nbconvert.ExitCode == 0, $"`jupyter nbconvert --version` failed:\n{nbconvert.Stdout}\n{nbconvert.Stderr}");
    }

    private static async Task EnsureKernelToolAsync()
    {
        var tool = Path.Combine(Tools, "dotnet-interactive");
        if (File.Exists(tool) && (await ChildProcess.RunAsync(tool, "/", null, "--version")).Stdout.Contains(ToolVersion, StringComparison.Ordinal))
        {
            return;
        }
        var install = await ChildProcess.DotnetAsync("/", null, "tool", "update", "-g", "Microsoft.dotnet-interactive", "--version", ToolVersion);
        Assert.True(install.ExitCode == 0, $"dotnet tool update -g Microsoft.dotnet-interactive --version {ToolVersion} failed:\n{install.Stdout}\n{install.Stderr}");
    }
}
