using System.Diagnostics;

namespace Sharpflow.Testing;

/// <summary>
/// Starts the S3-compatible test server (tests/s3-server: s3rver behind its aws-chunked decoding wrapper) on a free
/// loopback port, for the tests and the benchmark; stopping closes its stdin.
/// </summary>
public sealed class S3ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private S3ServerProcess(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Starts the server in <paramref name="serverFolder"/> (npm packages installed) storing objects under <paramref name="dataFolder"/>.</summary>
    public static async Task<S3ServerProcess> StartAsync(string serverFolder, string dataFolder, string bucket)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = serverFolder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--openssl-legacy-provider", "server.mjs", dataFolder, bucket, "0" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("listening ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The S3 test server did not start: {ready}\n{await process.StandardError.ReadToEndAsync()}");
        }
        return new S3ServerProcess(process, $"http://127.0.0.1:{ready["listening ".Length..]}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
