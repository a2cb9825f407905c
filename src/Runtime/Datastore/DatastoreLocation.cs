namespace Sharpflow.Datastore;

/// <summary>
/// Finds the datastore root: an explicit path or <c>s3://bucket/prefix</c>, else <c>SHARPFLOW_DATASTORE_ROOT</c>, else
/// <c>.sharpflow/</c> in the working directory.
/// </summary>
public static class DatastoreLocation
{
    /// <summary>The environment variable that overrides the default datastore root.</summary>
    public const string RootVariable = "SHARPFLOW_DATASTORE_ROOT";

    /// <summary>The default folder name, created in the working directory.</summary>
    public const string DefaultFolder = ".sharpflow";

    /// <summary>The root to use for <paramref name="explicitRoot"/> (which wins when given).</summary>
    public static string ResolveRoot(string? explicitRoot = null)
    {
        var root = !string.IsNullOrWhiteSpace(explicitRoot) ? explicitRoot
            : Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } fromEnv ? fromEnv
            : Path.Combine(Directory.GetCurrentDirectory(), DefaultFolder);
        return S3Location.IsS3(root) ? root : Path.GetFullPath(root);
    }

    /// <summary>
    /// The blob store at the resolved root: S3 (behind a local read-through cache of its content-addressed blobs) for
    /// <c>s3://</c> roots, a local folder otherwise.
    /// </summary>
    public static IBlobStore Open(string? explicitRoot = null)
    {
        var root = ResolveRoot(explicitRoot);
        return S3Location.IsS3(root)
            ? new ReadThroughCache(new S3BlobStore(S3Location.Parse(root)), ReadThroughCache.DefaultFolder)
            : new LocalBlobStore(root);
    }
}
