using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sharpflow.S3;
using Sharpflow.Client;
using Sharpflow.Datastore;

namespace Sharpflow.Tests;

/// <summary>
/// A private OpenSSH server on a free loopback port, with a key-only test user (tests/ssh/start-sshd.sh) and its own state
/// folder; this fixture owns the sshd process and ends it by its pid. Installs openssh-server first when it is missing
/// (<see cref="SystemPackages"/>).
/// </summary>
public sealed class SshServer : IAsyncLifetime
{
    private Process? _sshd;

    public string State { get; } = Directory.CreateTempSubdirectory("sharpflow-sshd-").FullName;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        await SystemPackages.EnsureAsync("The SSH compute tests", ["/usr/sbin/sshd", "ssh", "ssh-keygen"], "openssh-server", "openssh-client");
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < 5 && _sshd is null; attempt++)
        {
            // A port free a moment ago may be taken by the time sshd binds it: then sshd says so and another is tried.
            var port = Loopback.FreePort();
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { Path.Combine(ChildProcess.RepositoryRoot(), "tests", "ssh", "start-sshd.sh"), State, port.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }
            var sshd = Process.Start(start)!;
            _ = sshd.StandardOutput.ReadToEndAsync();
            var log = new StringBuilder();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (await ReadLineOrNullAsync(sshd.StandardError, patience.Token) is { } line)
            {
                log.AppendLine(line);
                if (line.Contains($"Server listening on 127.0.0.1 port {port}", StringComparison.Ordinal))
                {
                    _sshd = sshd;
                    Port = port;
                    _ = DrainAsync(sshd.StandardError); // sshd keeps logging to stderr: keep the pipe from filling
                    break;
                }
            }
            if (_sshd is null)
            {
                if (!sshd.HasExited)
                {
                    sshd.Kill(entireProcessTree: true); // neither listening nor gone after a minute
                }
                await sshd.WaitForExitAsync();
                failures.AppendLine($"port {port}: exit {sshd.ExitCode}\n{log}");
                sshd.Dispose();
            }
        }
        Assert.True(_sshd is not null, $"The test sshd did not start (it needs root and openssh-server):\n{failures}");
    }

    public async Task DisposeAsync()
    {
        if (_sshd is { } sshd)
        {
            sshd.Kill(entireProcessTree: true); // the sshd this fixture started (the script exec'd it: same pid) and the sessions it forked
            await sshd.WaitForExitAsync();
            sshd.Dispose();
        }
        Directory.Delete(State, recursive: true);
    }

    private static async Task<string?> ReadLineOrNullAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null; // reported with the log read so far
        }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }
}

/// <summary>Steps offloaded over SSH: code uploaded over SFTP, output streamed back, host keys checked, artifacts in the S3 datastore.</summary>
[Collection(S3Collection.Name)]
public class SshComputeTests(S3Server s3, SshServer ssh) : IClassFixture<SshServer>
{
    private Dictionary<string, string> Environment(string work, string? knownHosts = null) => new()
    {
        [S3Location.EndpointVariable] = s3.Endpoint,
        ["SHARPFLOW_SHARED_DIR"] = Path.Combine(work, "shared"),
        ["SHARPFLOW_SSH_HOST"] = "127.0.0.1",
        ["SHARPFLOW_SSH_PORT"] = ssh.Port.ToString(CultureInfo.InvariantCulture),
        ["SHARPFLOW_SSH_USER"] = "sftest",
        ["SHARPFLOW_SSH_KEY"] = Path.Combine(ssh.State, "user_key"),
        ["SHARPFLOW_SSH_KNOWN_HOSTS"] = knownHosts ?? Path.Combine(ssh.State, "known_hosts"),
    };

    [Fact]
    public async Task AStepRunsOnTheSshHostWithItsGpuAndItsOutputComesBack()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, Environment(work.Root), ChildProcess.TestFlowsDll, "SshFlow", "run", "--datastore", root);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var run = new Flow("SshFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        Assert.True(run.Successful, run.Error);
        var task = run["Work"].Task;
        Assert.Equal("sftest", task["User"].Get<string>()); // ran as the remote user, over SSH
        Assert.Equal("0", task["Gpus"].Get<string>());
        Assert.Equal(10, run.Data["Sum"].Get<int>());
        Assert.Contains("working as sftest on GPU 0", task.Stdout);
        Assert.Contains("working as sftest", result.Stdout); // streamed live into the run's progress
        Assert.DoesNotContain("S3RVER", result.Stdout + result.Stderr); // credentials travel in a private file, never printed
    }

    [Fact]
    public async Task ANotebookFlowSendsItsGpuStepOverSsh()
    {
        // The notebook path: step cells, then `#!flow-run ... --with ssh` (the Runner in this process, the generic worker there).
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        using var environment = new EnvironmentScope(Environment(work.Root));
        var magics = new Interactive.FlowMagics(root);
        var display = new RecordingDisplay();
        Assert.IsType<Interactive.CellResult>((await magics.ExecuteCellAsync("#!step start --flow SshCellFlow --next train\npublic string text = \"\";\ntext = \"gpu\";", display)).Value);
        Assert.IsType<Interactive.CellResult>((await magics.ExecuteCellAsync(
            "#!step train --flow SshCellFlow --next end --gpu 1\npublic string user = \"\";\npublic string gpus = \"\";\nuser = Environment.UserName;\ngpus = string.Join(\",\", Current.Gpus);\nConsole.WriteLine($\"{text} step as {user}\");", display)).Value);

        var run = Assert.IsType<Run>((await magics.ExecuteAsync("#!flow-run SshCellFlow --with ssh", display)).Value);

        Assert.True(run.Successful, run.Error);
        Assert.Equal("sftest", run.Data["user"].Get<string>());
        Assert.Equal("0", run.Data["gpus"].Get<string>());
        Assert.Contains("gpu step as sftest", run["train"].Task.Stdout);
    }

    [Fact]
    public async Task AnUnknownHostKeyIsRefusedWithWhatToDo()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var empty = Path.Combine(work.Root, "known_hosts");
        await File.WriteAllTextAsync(empty, "");
        var result = await ChildProcess.DotnetAsync(work.Root, Environment(work.Root, empty), ChildProcess.TestFlowsDll, "SshFlow", "run", "--datastore", root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Host [127.0.0.1]:{ssh.Port} is not in", result.Stdout + result.Stderr);
        Assert.Contains($"ssh-keyscan -p {ssh.Port} 127.0.0.1", result.Stdout + result.Stderr);
    }
}
