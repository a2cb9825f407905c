namespace Sharpflow.Tests;

/// <summary>
/// Debian packages the tests run for real (Chromium, Slurm and munge, OpenSSH's server, Jupyter), installed on first use
/// when a program they provide is missing and the tests run as root, so the README's test command passes on a fresh
/// machine by itself. Installs from every test process are serialized on one machine-wide lock file (<c>flock</c>), so two
/// test assemblies running at once never race for dpkg's lock. Not root, or no package registry: a clear error names the
/// packages to install.
/// </summary>
public static class SystemPackages
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);
    private const string MachineLock = "/tmp/sharpflow-tests-apt.lock";

    /// <summary>
    /// Makes sure every program in <paramref name="programs"/> (absolute paths, or names looked up on PATH) exists,
    /// installing <paramref name="packages"/> with apt-get when one is missing; <paramref name="purpose"/> says what needs them.
    /// </summary>
    public static async Task EnsureAsync(string purpose, string[] programs, params string[] packages)
    {
        if (programs.All(Exists))
        {
            return;
        }
        await InProcess.WaitAsync();
        try
        {
            var missing = programs.Where(p => !Exists(p)).ToArray();
            if (missing.Length == 0)
            {
                return;
            }
            var command = $"apt-get install {string.Join(' ', packages)}";
            if (!Environment.IsPrivilegedProcess)
            {
                throw new InvalidOperationException($"{purpose} need {string.Join(", ", missing)}, which {(missing.Length == 1 ? "is" : "are")} not installed. "
                    + $"Install Debian's packages with `sudo {command}`, or run the tests as root: they install them themselves.");
            }
            var install = await ChildProcess.RunAsync("flock", "/", new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" }, TimeSpan.FromMinutes(20),
                MachineLock, "bash", "-c", $"apt-get update -qq && apt-get install -y -qq {string.Join(' ', packages)}");
            var stillMissing = programs.Where(p => !Exists(p)).ToArray();
            if (install.ExitCode != 0 || stillMissing.Length > 0)
            {
                throw new InvalidOperationException($"{purpose} need {string.Join(", ", missing)}, and `{command}` did not provide {string.Join(", ", stillMissing.DefaultIfEmpty("them"))} "
                    + $"(exit code {install.ExitCode}; is a Debian package registry reachable?):\n{install.Stdout}\n{install.Stderr}");
            }
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static bool Exists(string program) =>
        Path.IsPathRooted(program) ? File.Exists(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"])
                .Any(folder => File.Exists(Path.Combine(folder, program)));
}
