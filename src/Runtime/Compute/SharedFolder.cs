namespace Sharpflow.Compute;

/// <summary>
/// The folder a cluster's machines share with this one (code packages are extracted there, job files written there):
/// <see cref="Execution.RunnerOptions.SharedDirectory"/>, else <c>$SHARPFLOW_SHARED_DIR</c>, else <c>.sharpflow-shared</c>
/// in the working directory.
/// </summary>
public static class SharedFolder
{
    /// <summary>The environment variable that names the shared folder.</summary>
    public const string Variable = "SHARPFLOW_SHARED_DIR";

    /// <summary>The shared folder for a run with <paramref name="options"/>, as a full path.</summary>
    public static string Of(Execution.RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.GetFullPath(options.SharedDirectory
            ?? (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } shared ? shared : Path.Combine(Directory.GetCurrentDirectory(), ".sharpflow-shared")));
    }
}
