using System.CommandLine;
using Sharpflow.Datastore;
using Sharpflow.Packaging;

namespace Sharpflow.Cli;

/// <summary><c>package list|show|save|push</c>: the flow's code packages, in the datastore or built from this application.</summary>
internal static class PackageCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var command = new Command("package", $"List, show, save or push the code packages of flow '{flowType.Name}' (what remote steps run).");

        var json = CliCommands.JsonOption("the packages");
        var list = new Command("list", "List the flow's code packages in the datastore.") { json };
        list.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var packages = await CodePackage.ListAsync(DatastoreLocation.Open(parse.GetValue(datastore)), flowType.Name).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(CliCommands.ToJson(packages.Select(p => new { p.Hash, p.EntryAssembly, p.RuntimeVersion, p.DotnetVersion, files = p.Files.Count, p.Size })));
                return 0;
            }
            foreach (var package in packages)
            {
                output.Out.WriteLine($"{package.Hash}  {package.EntryAssembly}  {package.Files.Count} files  {package.Size / 1e6:0.0} MB  sharpflow {package.RuntimeVersion}  .NET {package.DotnetVersion}");
            }
            if (packages.Count == 0)
            {
                output.Out.WriteLine($"Flow '{flowType.Name}' has no code packages in {DatastoreLocation.ResolveRoot(parse.GetValue(datastore))}.");
            }
            return 0;
        }));

        var hash = new Argument<string?>("hash") { Description = "A package hash (a unique prefix is enough); none for the package of this build.", Arity = ArgumentArity.ZeroOrOne };
        var showJson = CliCommands.JsonOption("the manifest");
        var show = new Command("show", "Show a code package's manifest: flow, entry assembly, steps, versions, files with hashes.") { hash, showJson };
        show.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var manifest = await ManifestAsync(flowType, parse.GetValue(datastore), parse.GetValue(hash)).ConfigureAwait(false);
            if (parse.GetValue(showJson))
            {
                output.Out.WriteLine(CliCommands.ToJson(manifest));
                return 0;
            }
            output.Out.WriteLine($"package {manifest.Hash}: flow {manifest.Flow}, entry {manifest.EntryAssembly}, sharpflow {manifest.RuntimeVersion}, .NET {manifest.DotnetVersion}");
            output.Out.WriteLine($"steps: {string.Join(", ", manifest.Steps)}");
            foreach (var file in manifest.Files)
            {
                output.Out.WriteLine($"  {file.Hash}  {file.Size,12}  {file.Path}");
            }
            return 0;
        }));

        var to = new Option<string>("--to") { Description = "The zip file to write.", Required = true };
        var save = new Command("save", "Write a code package (from the datastore, or built from this application) to a zip file, to inspect it offline.") { hash, to };
        save.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var archive = parse.GetValue(hash) is { } wanted
                ? await CodePackage.LoadArchiveAsync(DatastoreLocation.Open(parse.GetValue(datastore)),
                    await CodePackage.FindAsync(DatastoreLocation.Open(parse.GetValue(datastore)), flowType.Name, wanted).ConfigureAwait(false)).ConfigureAwait(false)
                : CodePackage.Build(flowType).Archive;
            var path = Path.GetFullPath(parse.GetValue(to)!);
            await File.WriteAllBytesAsync(path, archive).ConfigureAwait(false);
            output.Out.WriteLine($"Wrote {path} ({archive.Length / 1e6:0.0} MB).");
            return 0;
        }));

        var push = new Command("push", "Build this application's code package and store it in the datastore (once per distinct code).");
        push.SetAction(parse => CliErrors.GuardAsync(output, async () =>
        {
            var package = CodePackage.Build(flowType);
            var store = DatastoreLocation.Open(parse.GetValue(datastore));
            var uploaded = await package.StoreAsync(store).ConfigureAwait(false);
            output.Out.WriteLine($"{package.Manifest.Hash} {(uploaded ? "stored" : "already stored")} in {store.Location} ({package.Manifest.Files.Count} files, {package.Archive.Length / 1e6:0.0} MB zipped).");
            return 0;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(save);
        command.Subcommands.Add(push);
        return command;
    }

    private static async Task<CodePackageManifest> ManifestAsync(Type flowType, string? datastore, string? hash) => hash is null
        ? CodePackage.Build(flowType).Manifest
        : await CodePackage.FindAsync(DatastoreLocation.Open(datastore), flowType.Name, hash).ConfigureAwait(false);
}
