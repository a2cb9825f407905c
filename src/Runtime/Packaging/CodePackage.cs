using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Packaging;

/// <summary>
/// The code of a flow, packed to run elsewhere: the flow application's build output (its entry assembly, the runtime
/// and every dependency, config files copied next to them) and a manifest. Built deterministically (sorted entries,
/// fixed timestamps) and identified by a hash of its files, so identical code is one package, stored once in the
/// datastore under <c>&lt;Flow&gt;/packages/</c>. A worker extracts it, verifies every file, and runs a task with
/// <c>dotnet &lt;entry&gt; step ...</c>, the same task runner as local runs.
/// </summary>
public sealed class CodePackage
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private CodePackage(CodePackageManifest manifest, byte[] archive)
    {
        Manifest = manifest;
        Archive = archive;
    }

    /// <summary>The manifest.</summary>
    public CodePackageManifest Manifest { get; }

    /// <summary>The zip archive (manifest.json and the files).</summary>
    public byte[] Archive { get; }

    /// <summary>
    /// Packs the code that defines <paramref name="flowType"/>. A flow in an application (an assembly with an entry
    /// point, e.g. <c>FlowMain.RunAsync</c>) is packed as that application: the files of <paramref name="appDirectory"/> that <see cref="PackageContents"/> keeps
    /// (default: the folder of the flow's assembly). Any other flow (one compiled from notebook cells, or in a library)
    /// is packed with the generic worker (<c>Sharpflow.Worker</c>): the flow's assembly and the assemblies it uses.
    /// Either way the package also carries the datastore add-ons this process has (<see cref="Extensibility.AddOns"/>)
    /// that it lacks, so a worker opens the same datastores (<c>s3://</c>).
    /// </summary>
    public static CodePackage Build(Type flowType, string? appDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        if (!Graph.FlowManifest.IlIsReadable)
        {
            throw new NotSupportedException(
                $"Flow '{flowType.Name}': this program is compiled ahead of time (NativeAOT) and has no assemblies to package for remote steps. "
                + "Package and run remote steps from the program's JIT build (dotnet run, or dotnet <program>.dll).");
        }
        var assembly = flowType.Assembly;
        if (assembly.EntryPoint is null || AssemblyFile.PathOf(assembly) is not { } location)
        {
            return PackHosted(flowType);
        }
        var entry = Path.GetFileName(location);
        var runtimes = PackageContents.Runtimes();
        var files = AppFiles(Path.GetFullPath(appDirectory ?? Path.GetDirectoryName(location)!))
            .Where(f => PackageContents.Keeps(f.Path, entry, runtimes))
            .ToDictionary(f => f.Path, f => f.Bytes, StringComparer.Ordinal);
        AddClosure(files, AddOnImages());
        return Pack(flowType, entry, [], files.Select(f => (f.Key, f.Value)));
    }

    private static IEnumerable<(string Path, byte[] Bytes)> AppFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith(".", StringComparison.Ordinal) && !p.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(p => (p, File.ReadAllBytes(Path.Combine(folder, p))));

    /// <summary>The generic worker, the flow's assembly, its closure of non-framework assemblies and its config files, in one folder.</summary>
    private static CodePackage PackHosted(Type flowType)
    {
        var worker = WorkerLocation() ?? throw new InvalidOperationException(
            $"Flow '{flowType.Name}' is not in an application, so its code package needs the generic worker (Sharpflow.Worker.dll), which was not found next to "
            + "the Sharpflow assemblies. Reference the Sharpflow.Worker project, or give the flow an application with `FlowMain.RunAsync`.");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["Sharpflow.Worker.dll"] = File.ReadAllBytes(worker),
            ["Sharpflow.Worker.runtimeconfig.json"] = File.ReadAllBytes(Path.ChangeExtension(worker, ".runtimeconfig.json")),
        };
        var flowFile = flowType.Assembly.GetName().Name + ".dll";
        files[flowFile] = FlowAssemblyImages.Of(flowType.Assembly) ?? throw new InvalidOperationException(
            $"Flow '{flowType.Name}': the bytes of its assembly {flowType.Assembly.GetName().Name} are not known, so it cannot be packaged.");
        AddClosure(files, [(files[flowFile], AssemblyFile.FolderOf(typeof(FlowSpec).Assembly) ?? AppContext.BaseDirectory), .. AddOnImages()]);
        // The default files of the flow's configs, at their relative paths: the worker finds them next to itself.
        foreach (var config in Config.FlowConfig.Of(flowType))
        {
            if (config.Attribute.Default is { } relative && !Path.IsPathRooted(relative) && Path.Combine(Directory.GetCurrentDirectory(), relative) is var source && File.Exists(source))
            {
                files.TryAdd(relative.Replace('\\', '/'), File.ReadAllBytes(source));
            }
        }
        return Pack(flowType, "Sharpflow.Worker.dll", [flowFile, flowType.FullName ?? flowType.Name], files.Select(f => (f.Key, f.Value)));
    }

    /// <summary>The datastore add-on assemblies this process registered, as closure roots.</summary>
    private static IEnumerable<(byte[] Image, string Folder)> AddOnImages() =>
        Extensibility.AddOns.DatastoreAssemblies.Select(AssemblyFile.PathOf).OfType<string>().Select(path => (File.ReadAllBytes(path), Path.GetDirectoryName(path)!));

    /// <summary>
    /// Adds <paramref name="roots"/> and the non-framework assemblies they use, read from metadata (references of
    /// assemblies not loaded yet count too): a dependency is the loaded assembly of that name, else the file of that
    /// name next to the assembly that needs it. Files already in <paramref name="files"/> are kept.
    /// </summary>
    private static void AddClosure(Dictionary<string, byte[]> files, IEnumerable<(byte[] Image, string Folder)> roots)
    {
        var frameworkFolder = AssemblyFile.FolderOf(typeof(object).Assembly);
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => (Name: a.GetName().Name ?? "", Path: AssemblyFile.PathOf(a))).Where(a => a.Path is not null)
            .GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last().Path!, StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<(byte[] Image, string Folder)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in roots)
        {
            if (seen.Add(AssemblyName(root.Image)))
            {
                pending.Enqueue(root);
                files.TryAdd(AssemblyName(root.Image) + ".dll", root.Image);
            }
        }
        while (pending.TryDequeue(out var current))
        {
            foreach (var name in ReferencedNames(current.Image))
            {
                if (!seen.Add(name) || (frameworkFolder is not null && File.Exists(Path.Combine(frameworkFolder, name + ".dll"))) || files.ContainsKey(name + ".dll"))
                {
                    continue; // the framework comes with .NET on the worker; the package's own copy wins
                }
                var path = loaded.GetValueOrDefault(name) is { } location && Path.GetDirectoryName(location) != frameworkFolder ? location
                    : Path.Combine(current.Folder, name + ".dll") is var beside && File.Exists(beside) ? beside
                    : null;
                if (path is null)
                {
                    continue; // not found: the worker reports it if the flow needs it
                }
                var bytes = File.ReadAllBytes(path);
                files.TryAdd(Path.GetFileName(path), bytes);
                pending.Enqueue((bytes, Path.GetDirectoryName(path)!));
            }
        }
    }

    private static string AssemblyName(byte[] image)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image, writable: false));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return metadata.GetString(metadata.GetAssemblyDefinition().Name);
    }

    private static IEnumerable<string> ReferencedNames(byte[] image)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image, writable: false));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToArray();
    }

    /// <summary>Sharpflow.Worker.dll next to a loaded Sharpflow assembly or the application, if it is there.</summary>
    private static string? WorkerLocation() => AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name?.StartsWith("Sharpflow", StringComparison.Ordinal) == true)
        .Select(AssemblyFile.FolderOf).OfType<string>()
        .Append(AppContext.BaseDirectory)
        .Select(d => Path.Combine(d, "Sharpflow.Worker.dll"))
        .FirstOrDefault(p => File.Exists(p) && File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")));

    private static CodePackage Pack(Type flowType, string entry, IReadOnlyList<string> arguments, IEnumerable<(string Path, byte[] Bytes)> content)
    {
        var files = content.OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => (File: new PackageFile(f.Path, f.Bytes.Length, Hex(XxHash128.Hash(f.Bytes))), f.Bytes)).ToArray();
        var graph = FlowGraphExtractor.Extract(flowType);
        var runtime = typeof(FlowSpec).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var dotnet = Environment.Version.ToString();
        var identity = new StringBuilder().Append(flowType.Name).Append('\n').Append(entry).Append('\n').Append(string.Join(' ', arguments)).Append('\n')
            .Append(runtime).Append('\n').Append(dotnet).Append('\n');
        foreach (var (file, _) in files)
        {
            identity.Append(file.Path).Append('\t').Append(file.Hash).Append('\n');
        }
        var manifest = new CodePackageManifest(flowType.Name, Hex(XxHash128.Hash(Encoding.UTF8.GetBytes(identity.ToString()))), entry,
            graph.Steps.Select(s => s.Name).ToArray(), runtime, dotnet, files.Select(f => f.File).ToArray()) { Arguments = arguments };

        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "manifest.json", MetadataJson.Serialize(manifest));
            foreach (var (file, bytes) in files)
            {
                Add(zip, "app/" + file.Path, bytes);
            }
        }
        return new CodePackage(manifest, archive.ToArray());
    }

    /// <summary>Stores the package (archive and manifest) unless the datastore already has it; returns true when it uploaded.</summary>
    public async Task<bool> StoreAsync(IBlobStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = DatastoreLayout.Package(Manifest.Flow, Manifest.Hash);
        if ((await store.ExistsAsync([DatastoreLayout.PackageManifest(Manifest.Flow, Manifest.Hash)], cancellationToken).ConfigureAwait(false))[0])
        {
            return false;
        }
        // The archive first, the manifest last: a listed package is always complete.
        await store.SaveAsync([new BlobWrite(key, Archive)], cancellationToken).ConfigureAwait(false);
        await store.SaveAsync([new BlobWrite(DatastoreLayout.PackageManifest(Manifest.Flow, Manifest.Hash), MetadataJson.Serialize(Manifest))], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The manifests of a flow's stored packages.</summary>
    public static async Task<IReadOnlyList<CodePackageManifest>> ListAsync(IBlobStore store, string flow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = (await store.ListAsync(DatastoreLayout.Packages(flow), cancellationToken).ConfigureAwait(false))
            .Where(n => n.EndsWith(".json", StringComparison.Ordinal)).ToArray();
        var blobs = await store.LoadAsync(names.Select(n => $"{DatastoreLayout.Packages(flow)}/{n}").ToArray(), cancellationToken).ConfigureAwait(false);
        return blobs.Select((b, i) => b is null ? null : MetadataJson.Deserialize<CodePackageManifest>(b, names[i])).OfType<CodePackageManifest>().ToArray();
    }

    /// <summary>A stored package's manifest (a unique hash prefix is enough), or an error that lists the flow's packages.</summary>
    public static async Task<CodePackageManifest> FindAsync(IBlobStore store, string flow, string hash, CancellationToken cancellationToken = default)
    {
        var all = await ListAsync(store, flow, cancellationToken).ConfigureAwait(false);
        var matches = all.Where(m => m.Hash.StartsWith(hash, StringComparison.OrdinalIgnoreCase)).ToArray();
        return matches.Length == 1 ? matches[0] : throw new ArgumentException(matches.Length == 0
            ? $"Flow '{flow}' has no code package '{hash}' in {store.Location}. Its packages: {(all.Count == 0 ? "(none)" : string.Join(", ", all.Select(m => m.Hash)))}."
            : $"'{hash}' matches several code packages of flow '{flow}'; give more of the hash.");
    }

    /// <summary>The stored archive of a package.</summary>
    public static async Task<byte[]> LoadArchiveAsync(IBlobStore store, CodePackageManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return (await store.LoadAsync([DatastoreLayout.Package(manifest.Flow, manifest.Hash)], cancellationToken).ConfigureAwait(false))[0]
            ?? throw new FileNotFoundException($"Code package {manifest.Hash} of flow '{manifest.Flow}' has a manifest but no archive in {store.Location}.");
    }

    /// <summary>
    /// Extracts a package into <paramref name="cacheDirectory"/>/<c>hash</c> (once; reused afterwards), verifying every
    /// file against the manifest, and returns the folder holding the application.
    /// </summary>
    public static async Task<string> ExtractAsync(IBlobStore store, CodePackageManifest manifest, string cacheDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var target = Path.Combine(cacheDirectory, manifest.Hash);
        if (Directory.Exists(target))
        {
            return Path.Combine(target, "app");
        }
        var archive = await LoadArchiveAsync(store, manifest, cancellationToken).ConfigureAwait(false);
        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        using (var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read))
        {
            foreach (var file in manifest.Files)
            {
                var entry = zip.GetEntry("app/" + file.Path)
                    ?? throw new InvalidDataException($"Code package {manifest.Hash} of flow '{manifest.Flow}' lacks {file.Path}.");
                using var content = new MemoryStream();
                await using (var source = entry.Open())
                {
                    await source.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                }
                var bytes = content.ToArray();
                if (Hex(XxHash128.Hash(bytes)) != file.Hash)
                {
                    throw new InvalidDataException($"Code package {manifest.Hash} of flow '{manifest.Flow}': {file.Path} does not match its hash; the package is corrupt.");
                }
                var path = Path.Combine(staging, "app", file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            }
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(staging, recursive: true); // another worker extracted it first
        }
        return Path.Combine(target, "app");
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
