namespace Sharpflow.Datastore;

/// <summary>Finds the datastore root: an explicit path, else <c>SHARPFLOW_DATASTORE_ROOT</c>, else <c>.sharpflow/</c> in the working directory.</summary>
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
        return Path.GetFullPath(root);
    }

    /// <summary>A local blob store at the resolved root.</summary>
    public static IBlobStore OpenLocal(string? explicitRoot = null) => new LocalBlobStore(ResolveRoot(explicitRoot));
}
