using System.Text;
using Renci.SshNet;
using Sharpflow.Compute;
using Sharpflow.Execution;
using Sharpflow.Extensibility;

namespace Sharpflow.Ssh;

/// <summary>
/// Runs a task attempt on a machine over SSH: uploads the worker's code package (its extracted application, once per
/// package, completed by a marker file) and the task spec over SFTP, writes the datastore's settings to a private
/// file there (never on a command line), runs the worker with <c>CUDA_VISIBLE_DEVICES</c> set, streams its stdout back
/// line by line, and returns its exit status; cancellation or a timeout stops the remote command.
/// </summary>
public sealed class SshBackend : IComputeBackend
{
    /// <inheritdoc />
    public string Name => "ssh";

    /// <inheritdoc />
    public Type? AttributeType => typeof(SshAttribute);

    /// <inheritdoc />
    public WorkerProgram Program => WorkerProgram.SharedFolder; // extracted here, then mirrored to the host

    /// <inheritdoc />
    public bool ReachesLocalDatastore => false;

    /// <inheritdoc />
    public string SpecDirectory(RunnerOptions options) => Path.GetTempPath();

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(TaskAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var target = SshTarget.From(attempt.Attribute as SshAttribute, attempt.FlowName, attempt.Step);
        var command = attempt.Command;
        var onStdoutLine = attempt.OnStdoutLine;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (attempt.Deadline is { } limit)
        {
            stop.CancelAfter(limit);
        }
        var connection = target.Connection();
        using var sftp = new SftpClient(connection);
        sftp.HostKeyReceived += target.Verify;
        await sftp.ConnectAsync(stop.Token).ConfigureAwait(false);
        var remote = command.ToArray();
        var job = $".sharpflow/jobs/{attempt.FlowName}-{attempt.RunId}-{attempt.Step}-{attempt.TaskId}-{Guid.NewGuid():N}";
        await MakeDirectoriesAsync(sftp, job, stop.Token).ConfigureAwait(false);
        sftp.ChangePermissions(job, 700); // the job's files (its settings among them) are the user's alone

        // The application: the local extracted package folder, mirrored once under ~/.sharpflow/packages/<hash>/app.
        var entryIndex = Array.FindIndex(remote, a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        var localApp = Path.GetDirectoryName(remote[entryIndex])!;
        var hash = Path.GetFileName(Path.GetDirectoryName(localApp))!;
        var remoteApp = $".sharpflow/packages/{hash}/app";
        if (!await sftp.ExistsAsync($".sharpflow/packages/{hash}/complete", stop.Token).ConfigureAwait(false))
        {
            foreach (var file in Directory.EnumerateFiles(localApp, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(localApp, file).Replace('\\', '/');
                await MakeDirectoriesAsync(sftp, $"{remoteApp}/{Path.GetDirectoryName(relative)?.Replace('\\', '/')}".TrimEnd('/'), stop.Token).ConfigureAwait(false);
                await using var content = File.OpenRead(file);
                await sftp.UploadFileAsync(content, $"{remoteApp}/{relative}", stop.Token).ConfigureAwait(false);
            }
            await using var marker = new MemoryStream("ok"u8.ToArray());
            await sftp.UploadFileAsync(marker, $".sharpflow/packages/{hash}/complete", stop.Token).ConfigureAwait(false);
        }
        remote[entryIndex] = $"{remoteApp}/{Path.GetFileName(remote[entryIndex])}";

        // The spec, and the datastore's settings in a file only the user can read.
        var specIndex = Array.IndexOf(remote, "--spec") + 1;
        await using (var specFile = File.OpenRead(remote[specIndex]))
        {
            await sftp.UploadFileAsync(specFile, $"{job}/spec.json", stop.Token).ConfigureAwait(false);
        }
        remote[specIndex] = $"{job}/spec.json";
        var settings = new StringBuilder();
        foreach (var name in AddOns.DatastoreSettingVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                settings.Append(name).Append('=').Append(Quote(value)).Append('\n');
            }
        }
        if (Gpus(target, attempt.Resources) is { Length: > 0 } gpus)
        {
            settings.Append("CUDA_VISIBLE_DEVICES=").Append(Quote(gpus)).Append('\n');
        }
        await using (var env = new MemoryStream(Encoding.UTF8.GetBytes(settings.ToString())))
        {
            await sftp.UploadFileAsync(env, $"{job}/env", stop.Token).ConfigureAwait(false);
        }
        sftp.ChangePermissions($"{job}/env", 600); // SSH.NET reads the digits as octal: rw-------

        using var ssh = new SshClient(connection);
        ssh.HostKeyReceived += target.Verify;
        await ssh.ConnectAsync(stop.Token).ConfigureAwait(false);
        var line = $"cd ~ && set -a && . {job}/env && rm -f {job}/env && set +a && exec {string.Join(' ', remote.Select(Quote))}";
        using var remoteCommand = ssh.CreateCommand(line);
        var execution = remoteCommand.ExecuteAsync(CancellationToken.None);
        using var reader = new StreamReader(remoteCommand.OutputStream, Encoding.UTF8);
        await using (stop.Token.Register(() => remoteCommand.CancelAsync(forceKill: true)))
        {
            while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } output)
            {
                onStdoutLine(output);
            }
            try
            {
                await execution.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or Renci.SshNet.Common.SshException && stop.IsCancellationRequested)
            {
                return (143, $"The SSH command on {target.Host} was stopped (run cancelled or step timed out).");
            }
        }
        return (remoteCommand.ExitStatus ?? 1, remoteCommand.Error);
    }

    /// <summary>The GPUs to expose: the target's list, else the first N for <c>[Resources(Gpu = N)]</c>.</summary>
    private static string? Gpus(SshTarget target, ResourcesAttribute? resources) =>
        target.Gpus ?? (resources is { Gpu: > 0 } ? string.Join(',', Enumerable.Range(0, resources.Gpu)) : null);

    private static async Task MakeDirectoriesAsync(SftpClient sftp, string path, CancellationToken cancellationToken)
    {
        var current = "";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.Length == 0 ? part : $"{current}/{part}";
            if (!await sftp.ExistsAsync(current, cancellationToken).ConfigureAwait(false))
            {
                await sftp.CreateDirectoryAsync(current, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
