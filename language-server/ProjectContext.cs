using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace Sharpflow.LanguageServer;

/// <summary>
/// What a document needs from its project to compile the way <c>dotnet build</c> compiles it: the project's other
/// sources, the package assemblies the restore resolved (<c>obj/project.assets.json</c>), and referenced projects
/// (their build output, or their sources when not built). File-based apps get the packages named by <c>#:package</c>
/// from the NuGet packages folder. The runtime itself (Sharpflow) is always the server's own copy, so flow types
/// loaded for analysis share <see cref="FlowSpec"/> with the runtime's graph extraction.
/// </summary>
internal sealed class ProjectContext
{
    private static readonly ConcurrentDictionary<string, (DateTime Stamp, MetadataReference Reference)> ReferenceCache = new(StringComparer.Ordinal);
    private static readonly string[] FrameworkPreference = ["net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "netstandard2.1", "netstandard2.0"];
    private static readonly HashSet<string> ServerOwned = new(StringComparer.OrdinalIgnoreCase) { "Sharpflow" };

    /// <summary>No project: the document compiles on its own against the framework and the runtime.</summary>
    public static readonly ProjectContext None = new(null, [], [], new Dictionary<string, string>());

    private ProjectContext(string? projectFile, IReadOnlyList<string> sourceFiles, IReadOnlyList<string> compileAssemblies, IReadOnlyDictionary<string, string> runtimeAssemblies)
    {
        ProjectFile = projectFile;
        SourceFiles = sourceFiles;
        CompileAssemblies = compileAssemblies;
        RuntimeAssemblies = runtimeAssemblies;
    }

    /// <summary>The project file the document belongs to, or null.</summary>
    public string? ProjectFile { get; }

    /// <summary>The project's (and unbuilt referenced projects') C# files, the document itself included.</summary>
    public IReadOnlyList<string> SourceFiles { get; }

    /// <summary>Assemblies to compile against (reference assemblies of packages, outputs of referenced projects).</summary>
    public IReadOnlyList<string> CompileAssemblies { get; }

    /// <summary>Implementation assemblies by simple name, for loading the compiled document's dependencies.</summary>
    public IReadOnlyDictionary<string, string> RuntimeAssemblies { get; }

    /// <summary>The compile references as Roslyn metadata (cached per file and write time).</summary>
    public IEnumerable<MetadataReference> MetadataReferences() => CompileAssemblies.Select(path =>
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        return ReferenceCache.AddOrUpdate(path,
            p => (stamp, MetadataReference.CreateFromFile(p)),
            (p, known) => known.Stamp == stamp ? known : (stamp, MetadataReference.CreateFromFile(p))).Reference;
    });

    /// <summary>
    /// The context of the document at <paramref name="documentPath"/> with text <paramref name="text"/>: a file-based
    /// app (it has <c>#:</c> directives) stands alone with its <c>#:package</c> packages; otherwise the nearest
    /// enclosing project file decides.
    /// </summary>
    public static ProjectContext For(string? documentPath, string text)
    {
        if (documentPath is null || !Path.IsPathRooted(documentPath))
        {
            return None;
        }
        var directives = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("#:", StringComparison.Ordinal)).ToArray();
        if (directives.Length > 0)
        {
            return RestoredFileBasedApp(documentPath) is { } assets ? FromAssets(null, assets, Path.GetDirectoryName(documentPath)!, [])
                : ForFileBasedApp(directives);
        }
        var project = FindProject(Path.GetDirectoryName(documentPath));
        return project is null ? None : ForProject(project);
    }

    /// <summary>The local path of a <c>file:</c> URI, or null for other schemes (untitled documents, notebook cells).</summary>
    public static string? LocalPath(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : null;

    private static string? FindProject(string? directory)
    {
        for (var current = directory; current is not null; current = Path.GetDirectoryName(current))
        {
            if (!Directory.Exists(current))
            {
                continue;
            }
            var projects = Directory.GetFiles(current, "*.csproj");
            if (projects.Length > 0)
            {
                return projects.Order(StringComparer.Ordinal).First();
            }
        }
        return null;
    }

    private static ProjectContext ForProject(string projectFile)
    {
        var directory = Path.GetDirectoryName(projectFile)!;
        return FromAssets(projectFile, Path.Combine(directory, "obj", "project.assets.json"), directory, SourcesOf(directory));
    }

    /// <summary>
    /// The restore of a file-based app that <c>dotnet run app.cs</c> has built: the SDK keeps it in
    /// <c>runfile/&lt;name&gt;-&lt;SHA-256 of the upper-cased full path&gt;/obj</c> under its data folder. Null before the
    /// first run (then only its <c>#:package</c> directives are read).
    /// </summary>
    private static string? RestoredFileBasedApp(string documentPath)
    {
        var full = Path.GetFullPath(documentPath);
        var folder = $"{Path.GetFileNameWithoutExtension(full)}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(full.ToUpperInvariant())))}";
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return new[] { Path.Combine(dataHome, "dotnet", "runfile"), Path.Combine(Path.GetTempPath(), "dotnet", "runfile") }
            .Select(root => Path.Combine(root, folder, "obj", "project.assets.json"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>A context from a restore's assets file (packages, referenced projects) and the project's own sources.</summary>
    private static ProjectContext FromAssets(string? projectFile, string assets, string directory, IEnumerable<string> ownSources)
    {
        var sources = new List<string>(ownSources);
        var compile = new List<string>();
        var runtime = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(assets))
        {
            var stamp = File.GetLastWriteTimeUtc(assets);
            var restored = AssetsCache.AddOrUpdate(assets, _ => (stamp, ReadAssets(assets, directory)),
                (_, known) => known.Stamp == stamp ? known : (stamp, ReadAssets(assets, directory))).Assets;
            sources.AddRange(restored.ProjectSources.SelectMany(SourcesOf));
            compile.AddRange(restored.Compile);
            foreach (var (name, path) in restored.Runtime)
            {
                runtime.TryAdd(name, path);
            }
        }
        return new ProjectContext(projectFile, sources.Distinct(StringComparer.Ordinal).ToArray(), compile.Distinct(StringComparer.Ordinal).ToArray(), runtime);
    }

    /// <summary>The sources of this project's other C# files, taking open editor buffers over the files on disk.</summary>
    public IReadOnlyList<string> CompanionSources(string documentPath, Func<string, string?> openText) =>
        SourceFiles.Where(f => !string.Equals(f, documentPath, StringComparison.Ordinal))
            .Select(f => openText(f) ?? File.ReadAllText(f)).ToArray();

    private sealed record RestoredAssets(IReadOnlyList<string> Compile, IReadOnlyDictionary<string, string> Runtime, IReadOnlyList<string> ProjectSources);

    private static readonly ConcurrentDictionary<string, (DateTime Stamp, RestoredAssets Assets)> AssetsCache = new(StringComparer.Ordinal);

    /// <summary>Packages from the restore's target for the project's first framework; referenced projects by their output, or their folder when not built.</summary>
    private static RestoredAssets ReadAssets(string assetsFile, string projectDirectory)
    {
        var compile = new List<string>();
        var runtime = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var projectSources = new List<string>();
        using var json = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
        var root = json.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).FirstOrDefault() ?? "";
        var target = root.GetProperty("targets").EnumerateObject().FirstOrDefault();
        if (target.Value.ValueKind != JsonValueKind.Object)
        {
            return new RestoredAssets(compile, runtime, projectSources);
        }
        var libraries = root.GetProperty("libraries");
        foreach (var entry in target.Value.EnumerateObject())
        {
            var name = entry.Name.Split('/')[0];
            if (ServerOwned.Contains(name) || !libraries.TryGetProperty(entry.Name, out var library))
            {
                continue;
            }
            var type = entry.Value.GetProperty("type").GetString();
            var path = library.GetProperty("path").GetString() ?? "";
            if (type == "package")
            {
                var folder = Path.Combine(packageFolder, path);
                compile.AddRange(AssetFiles(entry.Value, "compile", folder));
                foreach (var file in AssetFiles(entry.Value, "runtime", folder))
                {
                    runtime.TryAdd(Path.GetFileNameWithoutExtension(file), file);
                }
            }
            else if (type == "project")
            {
                var referenced = Path.GetFullPath(Path.Combine(projectDirectory, path));
                var output = BuiltOutput(Path.GetDirectoryName(referenced)!, name);
                if (output is not null)
                {
                    compile.Add(output);
                    runtime.TryAdd(name, output);
                }
                else
                {
                    projectSources.Add(Path.GetDirectoryName(referenced)!);
                }
            }
        }
        return new RestoredAssets(compile, runtime, projectSources);
    }

    private static IEnumerable<string> AssetFiles(JsonElement entry, string kind, string folder) =>
        entry.TryGetProperty(kind, out var files)
            ? files.EnumerateObject().Select(f => f.Name).Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Select(f => Path.Combine(folder, f)).Where(File.Exists)
            : [];

    /// <summary>The newest <c>bin/*/*/Name.dll</c> of a referenced project, or null when it has not been built.</summary>
    private static string? BuiltOutput(string projectDirectory, string assemblyName)
    {
        var bin = Path.Combine(projectDirectory, "bin");
        return Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, assemblyName + ".dll", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}ref{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
    }

    /// <summary>A project's C# files: everything under its folder but bin/, obj/ and nested projects.</summary>
    private static IEnumerable<string> SourcesOf(string projectDirectory)
    {
        var pending = new Stack<string>([projectDirectory]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(directory, "*.cs"))
            {
                yield return file;
            }
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                var name = Path.GetFileName(child);
                if (name is not ("bin" or "obj" or "node_modules") && !name.StartsWith('.') && !Directory.EnumerateFiles(child, "*.csproj").Any())
                {
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary><c>#:package Name@Version</c> directives resolved in the NuGet packages folder (best framework folder of lib/).</summary>
    private static ProjectContext ForFileBasedApp(IEnumerable<string> directives)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var assemblies = new List<string>();
        foreach (var directive in directives.Where(d => d.StartsWith("#:package ", StringComparison.Ordinal)))
        {
            var spec = directive["#:package ".Length..].Trim().Split('@', 2);
            if (spec.Length != 2 || ServerOwned.Contains(spec[0]))
            {
                continue;
            }
            var lib = Path.Combine(packages, spec[0].ToLowerInvariant(), spec[1], "lib");
            var framework = FrameworkPreference.Select(f => Path.Combine(lib, f)).FirstOrDefault(Directory.Exists);
            if (framework is not null)
            {
                assemblies.AddRange(Directory.GetFiles(framework, "*.dll"));
            }
        }
        return new ProjectContext(null, [], assemblies, assemblies.ToDictionary(a => Path.GetFileNameWithoutExtension(a), a => a, StringComparer.OrdinalIgnoreCase));
    }
}
