namespace Sharpflow.Datastore;

/// <summary>
/// Finds the datastore root: an explicit path or URI (<c>s3://bucket/prefix</c>, with the add-on that opens it), else
/// <c>SHARPFLOW_DATASTORE_ROOT</c>, else <c>.sharpflow/</c> in the working directory.
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
        return SchemeOf(root) is not null ? root : Path.GetFullPath(root);
    }

    /// <summary>
    /// The blob store at the resolved root: a local folder, or for a URI the store its add-on opens (<c>s3://</c> with
    /// Sharpflow.S3); a URI no add-on opens is an error naming the package to add.
    /// </summary>
    public static IBlobStore Open(string? explicitRoot = null)
    {
        var root = ResolveRoot(explicitRoot);
        return SchemeOf(root) is not null ? Extensibility.AddOns.OpenDatastore(root) : new LocalBlobStore(root);
    }

    /// <summary>The scheme of a datastore URI (<c>s3</c> for <c>s3://bucket/prefix</c>), lower-case; null for a folder.</summary>
    public static string? SchemeOf(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var separator = root.IndexOf("://", StringComparison.Ordinal);
        return separator > 1 && root[..separator].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? root[..separator].ToLowerInvariant() : null;
    }
}
