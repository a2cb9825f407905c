using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sharpflow.Graph;

/// <summary>
/// What a flow program's build read from its step code, for a program compiled ahead of time (NativeAOT), which keeps
/// no IL to read at run time: per flow, the steps in declaration order, each step's transition calls, the artifacts it
/// can touch and its code hash, and the flow's version. The publish (buildTransitive/Sharpflow.targets) runs the program
/// once more on the JIT with <see cref="StartupHook"/>, which writes <c>&lt;program&gt;.flows.json</c> next to the native
/// program; the graph, the reuse fingerprints and the <c>flow_version</c> tag are then the ones the JIT build computes.
/// </summary>
internal static class FlowManifest
{
    /// <summary>The version of the file's layout; a program reads only its own.</summary>
    public const int FormatVersion = 1;

    /// <summary>The environment variable through which the publish asks <see cref="StartupHook"/> for the manifest, naming the file to write.</summary>
    public const string WriteVariable = "SHARPFLOW_WRITE_FLOW_MANIFEST";

    private static readonly ConcurrentDictionary<string, Lazy<FlowManifestDocument>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Whether this process can read method bodies (IL): false in a NativeAOT program, which reads its manifest instead.</summary>
    public static bool IlIsReadable { get; } = ProbeIl();

    /// <summary>The manifest's file name for a program whose entry assembly is <paramref name="program"/>.</summary>
    public static string FileName(string program) => program + ".flows.json";

    /// <summary>Members in declaration order (metadata tokens); a NativeAOT program has no tokens and keeps reflection's order.</summary>
    public static IOrderedEnumerable<T> InDeclarationOrder<T>(this IEnumerable<T> members) where T : MemberInfo =>
        IlIsReadable ? members.OrderBy(m => m.MetadataToken) : members.OrderBy(_ => 0);

    /// <summary>The recorded code of step <paramref name="step"/> of <paramref name="flowType"/>.</summary>
    /// <exception cref="FlowManifestException">The manifest is missing, from another build, or lacks the flow or step.</exception>
    public static FlowManifestStep Step(Type flowType, string step) =>
        For(flowType).Steps.FirstOrDefault(s => s.Name == step)
        ?? throw new FlowManifestException($"Flow '{flowType.Name}': step '{step}' is not in the flow manifest {PathOf()}; publish the program again.");

    /// <summary>The recorded flow <paramref name="flowType"/>.</summary>
    /// <exception cref="FlowManifestException">The manifest is missing, from another build, or lacks the flow.</exception>
    public static FlowManifestFlow For(Type flowType)
    {
        var path = PathOf();
        var document = Loaded.GetOrAdd(path, p => new Lazy<FlowManifestDocument>(() => Read(p, flowType))).Value;
        if (!document.Flows.TryGetValue(KeyOf(flowType), out var flow))
        {
            throw new FlowManifestException(
                $"Flow '{flowType.Name}' is not in the flow manifest {path}, which lists {string.Join(", ", document.Flows.Keys)}. "
                + "A NativeAOT program runs the flows its publish recorded: publish it again.");
        }
        var module = flowType.Module.ModuleVersionId;
        if (flow.Module != module)
        {
            throw new FlowManifestException(
                $"Flow '{flowType.Name}': the flow manifest {path} was written for another build of {flowType.Assembly.GetName().Name} "
                + $"(module {flow.Module}; this program's is {module}). Publish the program again, and ship the manifest that publish writes with it.");
        }
        return flow;
    }

    /// <summary>
    /// Writes the manifest of <paramref name="program"/> to <paramref name="path"/>: every concrete flow of the program's
    /// assembly and of the assemblies it references that define flows. Runs on the JIT, where step code is readable.
    /// </summary>
    public static void Write(Assembly program, string path)
    {
        var flows = new SortedDictionary<string, FlowManifestFlow>(StringComparer.Ordinal);
        foreach (var flowType in FlowAssemblies(program).SelectMany(LoadableTypes).Where(IsRunnableFlow))
        {
            flows[KeyOf(flowType)] = Record(flowType);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new FlowManifestDocument(FormatVersion, flows), FlowManifestJsonContext.Default.FlowManifestDocument));
        File.Move(temporary, path, overwrite: true);
    }

    private static FlowManifestFlow Record(Type flowType)
    {
        var graph = FlowGraphExtractor.Extract(flowType);
        var steps = graph.Steps.Select(node =>
        {
            string? hash = null, unreadable = null;
            IReadOnlyList<string>? members = null;
            try
            {
                var code = StepCode.Of(flowType, node);
                (hash, members) = (code.Hash, code.Members?.Order(StringComparer.Ordinal).ToArray());
            }
            catch (Exception e) when (StepCode.IsUnreadable(e))
            {
                unreadable = e.Message; // recorded as is: the native program fails the same way the JIT one does
            }
            return new FlowManifestStep(node.Name, IlTransitionScanner.Scan(node.Method),
                StepArtifactUse.Of(flowType, node)?.Order(StringComparer.Ordinal).ToArray(), hash, members, unreadable, StepDocumentation.Of(node.Method));
        }).ToArray();
        return new FlowManifestFlow(flowType.Module.ModuleVersionId, FlowVersion.Of(graph), steps);
    }

    private static string KeyOf(Type flowType) => $"{flowType.Assembly.GetName().Name}:{flowType.FullName}";

    private static string PathOf() =>
        Path.Combine(AppContext.BaseDirectory, FileName(Assembly.GetEntryAssembly()?.GetName().Name ?? AppDomain.CurrentDomain.FriendlyName));

    private static FlowManifestDocument Read(string path, Type flowType)
    {
        if (!File.Exists(path))
        {
            throw new FlowManifestException(
                $"Flow '{flowType.Name}': this program is compiled ahead of time (NativeAOT), which keeps no step code to read, and its "
                + $"flow manifest {path} is missing. Publish it with the Sharpflow package's build targets (dotnet publish -p:PublishAot=true "
                + "writes the manifest next to the program) and ship that file with it.");
        }
        FlowManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(path), FlowManifestJsonContext.Default.FlowManifestDocument);
        }
        catch (JsonException e)
        {
            throw new FlowManifestException($"Flow '{flowType.Name}': the flow manifest {path} is damaged ({e.Message}). Publish the program again.", e);
        }
        if (document is null || document.Format != FormatVersion)
        {
            throw new FlowManifestException(
                $"Flow '{flowType.Name}': the flow manifest {path} has format {document?.Format}, this program reads format {FormatVersion}. Publish the program again.");
        }
        return document;
    }

    private static IEnumerable<Assembly> FlowAssemblies(Assembly program)
    {
        var core = typeof(FlowSpec).Assembly.GetName().Name;
        var seen = new HashSet<string>(StringComparer.Ordinal) { program.GetName().Name ?? "" };
        var pending = new Queue<Assembly>([program]);
        while (pending.TryDequeue(out var assembly))
        {
            yield return assembly;
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && name != core && seen.Add(name) && Assembly.Load(reference) is var referenced
                    && referenced.GetReferencedAssemblies().Any(r => r.Name == core))
                {
                    pending.Enqueue(referenced);
                }
            }
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new FlowManifestException(
                $"Writing the flow manifest: the types of {assembly.GetName().Name} could not all be loaded: {e.LoaderExceptions.FirstOrDefault()?.Message}", e);
        }
    }

    private static bool IsRunnableFlow(Type type) =>
        typeof(FlowSpec).IsAssignableFrom(type) && type != typeof(FlowSpec) && !type.IsAbstract && !type.ContainsGenericParameters;

    private static bool ProbeIl()
    {
        try
        {
            return typeof(FlowManifest).GetMethod(nameof(ProbeIl), BindingFlags.NonPublic | BindingFlags.Static)?.GetMethodBody() is not null;
        }
        catch (PlatformNotSupportedException)
        {
            return false; // NativeAOT: compiled code only
        }
    }
}

/// <summary>A NativeAOT program's flow manifest is missing, damaged, or from another build; the message says which and what to do.</summary>
internal sealed class FlowManifestException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The manifest file: its layout version and every recorded flow, keyed <c>assembly:full type name</c>.</summary>
internal sealed record FlowManifestDocument(int Format, SortedDictionary<string, FlowManifestFlow> Flows);

/// <summary>One flow: the module (build) it was read from, its <see cref="FlowVersion"/> and its steps in declaration order.</summary>
internal sealed record FlowManifestFlow(Guid Module, string Version, IReadOnlyList<FlowManifestStep> Steps);

/// <summary>
/// One step: its transition calls, the artifacts it can touch (null: any), its <see cref="StepCode"/> (hash and
/// members) or why its code could not be read, and its <see cref="StepDocumentation"/> (a native program ships no
/// documentation file).
/// </summary>
internal sealed record FlowManifestStep(
    string Name, IReadOnlyList<TransitionCall> Transitions, IReadOnlyList<string>? ArtifactUse, string? CodeHash, IReadOnlyList<string>? CodeMembers, string? CodeUnreadable,
    string? Description = null);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FlowManifestDocument))]
internal sealed partial class FlowManifestJsonContext : JsonSerializerContext;
