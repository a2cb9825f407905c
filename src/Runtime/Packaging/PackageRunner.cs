using System.Diagnostics;
using Sharpflow.Datastore;

namespace Sharpflow.Packaging;

/// <summary>
/// The worker side of a remote task where no shared folder exists (a Kubernetes pod): fetch the code package from the
/// datastore, extract and verify it, fetch the task spec (<c>--spec-key</c>), and run the package's entry with the
/// task's arguments, its output going straight to this process's.
/// </summary>
public static class PackageRunner
{
    /// <summary>Runs the package's entry; returns its exit code.</summary>
    public static async Task<int> RunAsync(string datastoreRoot, string flow, string hash, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var store = DatastoreLocation.Open(datastoreRoot);
        var manifest = await CodePackage.FindAsync(store, flow, hash, cancellationToken).ConfigureAwait(false);
        var app = await CodePackage.ExtractAsync(store, manifest, Path.Combine(Path.GetTempPath(), "sharpflow-packages"), cancellationToken).ConfigureAwait(false);
        var resolved = arguments.ToArray();
        var specKey = Array.IndexOf(resolved, "--spec-key");
        if (specKey >= 0)
        {
            var spec = (await store.LoadAsync([resolved[specKey + 1]], cancellationToken).ConfigureAwait(false))[0]
                ?? throw new FileNotFoundException($"The task spec {resolved[specKey + 1]} is not in the datastore {store.Location}.");
            var file = Path.Combine(Path.GetTempPath(), $"sharpflow-spec-{Guid.NewGuid():N}.json");
            await File.WriteAllBytesAsync(file, spec, cancellationToken).ConfigureAwait(false);
            resolved[specKey] = "--spec";
            resolved[specKey + 1] = file;
        }
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(app, manifest.EntryAssembly));
        foreach (var argument in resolved)
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the code package {manifest.Hash} of flow '{flow}'.");
        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return child.ExitCode;
    }
}
