using System.Collections.Concurrent;
using Sharpflow.Execution;
using Sharpflow.Packaging;

namespace Sharpflow.Compute;

/// <summary>
/// The command a remote worker runs for a flow: its code package, built once per run's flow and code, stored in the
/// datastore, and extracted (verified) into the shared folder the cluster sees: <c>dotnet &lt;shared&gt;/packages/&lt;hash&gt;/app/&lt;entry&gt;</c>.
/// </summary>
internal static class WorkerPackage
{
    private static readonly ConcurrentDictionary<(Type Flow, string Store, string Shared), Lazy<Task<IReadOnlyList<string>>>> Commands = new();
    private static readonly ConcurrentDictionary<(Type Flow, string Store), Lazy<Task<CodePackage>>> Stored = new();

    /// <summary>The run's flow's code package, built and stored in the run's datastore once.</summary>
    public static Task<CodePackage> StoredAsync(RunContext run) =>
        Stored.GetOrAdd((run.FlowType, run.Metadata.Store.Location), _ => new Lazy<Task<CodePackage>>(async () =>
        {
            var package = CodePackage.Build(run.FlowType);
            await package.StoreAsync(run.Metadata.Store).ConfigureAwait(false);
            return package;
        })).Value;

    /// <summary>The worker command for the run's flow (built and stored on first use).</summary>
    public static Task<IReadOnlyList<string>> CommandAsync(RunContext run, string sharedDirectory) =>
        Commands.GetOrAdd((run.FlowType, run.Metadata.Store.Location, sharedDirectory), _ => new Lazy<Task<IReadOnlyList<string>>>(async () =>
        {
            var package = await StoredAsync(run).ConfigureAwait(false);
            var app = await CodePackage.ExtractAsync(run.Metadata.Store, package.Manifest, Path.Combine(sharedDirectory, "packages")).ConfigureAwait(false);
            return (IReadOnlyList<string>)["dotnet", Path.Combine(app, package.Manifest.EntryAssembly), .. package.Manifest.Arguments, .. Leading(run.Options.TaskCommand, package.Manifest)];
        })).Value;

    /// <summary>A program that serves several flows (<c>dotnet tool.dll SomeFlow run</c>) gets its leading arguments again.</summary>
    public static string[] Leading(IReadOnlyList<string>? taskCommand, CodePackageManifest manifest)
    {
        var local = taskCommand ?? [];
        var entry = local.Select((argument, index) => (argument, index)).FirstOrDefault(a => Path.GetFileName(a.argument) == manifest.EntryAssembly);
        return entry.argument is null ? [] : [.. local.Skip(entry.index + 1)];
    }

}
