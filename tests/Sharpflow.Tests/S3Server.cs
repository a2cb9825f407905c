namespace Sharpflow.Tests;

/// <summary>
/// A real S3-compatible server on loopback for the tests (<see cref="Testing.S3ServerProcess"/>), started once for the
/// test collection. It sets the standard variables an S3 datastore reads (endpoint, credentials), so <c>s3://</c>
/// roots work in this process and in the processes it starts.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "sharpflow-tests";
    private Testing.S3ServerProcess? _server;
    private string _folder = "";

    public string Endpoint { get; private set; } = "";

    /// <summary>A fresh root in the test bucket, so tests never see each other's runs.</summary>
    public static string NewRoot() => $"s3://{Bucket}/t{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(ChildProcess.RepositoryRoot(), "tests", "s3-server");
        await ChildProcess.EnsureNpmPackagesAsync(folder, "s3rver");
        _folder = Directory.CreateTempSubdirectory("sharpflow-s3-").FullName;
        _server = await Testing.S3ServerProcess.StartAsync(folder, Path.Combine(_folder, "data"), Bucket);
        Endpoint = _server.Endpoint;
        Environment.SetEnvironmentVariable(S3.S3Location.EndpointVariable, Endpoint);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
        Environment.SetEnvironmentVariable(Datastore.ReadThroughCache.FolderVariable, Path.Combine(_folder, "cache"));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "S3";
}
