using System.Diagnostics;

namespace Sharpflow.Tests;

/// <summary>
/// A real S3-compatible server on loopback for the tests: s3rver (tests/s3-server, npm) behind its aws-chunked decoding
/// wrapper, started once for the test collection. It sets the standard variables an S3 datastore reads (endpoint,
/// credentials), so <c>s3://</c> roots work in this process and in the processes it starts.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "sharpflow-tests";
    private Process? _server;
    private string _folder = "";

    public string Endpoint { get; private set; } = "";

    /// <summary>A fresh root in the test bucket, so tests never see each other's runs.</summary>
    public static string NewRoot() => $"s3://{Bucket}/t{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("SHARPFLOW_TEST_S3_ENDPOINT") is { Length: > 0 } existing)
        {
            Use(existing, Directory.CreateTempSubdirectory("sharpflow-s3-").FullName); // a server started by hand (debugging)
            return;
        }
        var folder = Path.Combine(ChildProcess.RepositoryRoot(), "tests", "s3-server");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "s3rver")))
        {
            var install = await ChildProcess.RunAsync("npm", folder, null, "ci", "--no-audit", "--no-fund");
            Assert.True(install.ExitCode == 0, $"npm ci in {folder} failed:\n{install.Stdout}\n{install.Stderr}");
        }
        _folder = Directory.CreateTempSubdirectory("sharpflow-s3-").FullName;
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--openssl-legacy-provider", "server.mjs", Path.Combine(_folder, "data"), Bucket, "0" })
        {
            start.ArgumentList.Add(argument);
        }
        _server = Process.Start(start)!;
        var ready = await _server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("listening ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The S3 test server did not start: {ready}\n{await _server.StandardError.ReadToEndAsync()}");
        }
        Use($"http://127.0.0.1:{ready["listening ".Length..]}", _folder);
    }

    private void Use(string endpoint, string folder)
    {
        _folder = folder;
        Endpoint = endpoint;
        Environment.SetEnvironmentVariable(Datastore.S3Location.EndpointVariable, Endpoint);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
        Environment.SetEnvironmentVariable(Datastore.ReadThroughCache.FolderVariable, Path.Combine(_folder, "cache"));
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.StandardInput.Close();
            if (!_server.WaitForExit(10_000))
            {
                _server.Kill(entireProcessTree: true);
            }
        }
        _server?.Dispose();
        await Task.CompletedTask;
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "S3";
}
