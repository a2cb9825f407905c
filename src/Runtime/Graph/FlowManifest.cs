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

    private static readonly ConcurrentDictionary<string, LoadedManifest> Loaded = new(StringComparer.Ordinal); // read manifests only: a refusal is thrown again, naming the flow asked for

    /// <summary>Whether this process can read method bodies (IL): false in a NativeAOT program, which reads its manifest instead.</summary>
    public static bool IlIsReadable { get; } = ProbeIl();

    /// <summary>The manifest's file name for a program whose entry assembly is <paramref name="program"/>.</summary>
    public static string FileName(string program) => program + ".flows.json";

    /// <summary>
    /// Members in declaration order (metadata tokens). A NativeAOT program has no tokens: it orders a flow's members by
    /// the tokens its publish recorded, so parameters, configs, artifacts, steps and hooks come in the JIT build's order
    /// (which the reuse fingerprints and <c>show</c> depend on); other members keep reflection's order, after those.
    /// </summary>
    public static IOrderedEnumerable<T> InDeclarationOrder<T>(this IEnumerable<T> members) where T : MemberInfo =>
        IlIsReadable ? members.OrderBy(m => m.MetadataToken) : members.OrderBy(RecordedToken);

    private static int RecordedToken(MemberInfo member) =>
        member.DeclaringType is { } type && typeof(FlowSpec).IsAssignableFrom(type) && type != typeof(FlowSpec)
        && Document(member.ReflectedType ?? type).Declarations.TryGetValue(DeclarationKey(member), out var token) ? token : int.MaxValue; // a refusal names the flow asked about

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
        var document = Document(flowType);
        if (flowType.IsConstructedGenericType)
        {
            throw new FlowManifestException(
                $"Flow '{flowType.Name}' is a generic flow type, which a NativeAOT program cannot run: its publish records only the flows the program defines. "
                + $"Derive a non-generic flow from it (class My{flowType.Name.Split('`')[0]} : {flowType.Name.Split('`')[0]}<...>) and run that.");
        }
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
        if (flow.Invalid is { } problem)
        {
            throw new FlowManifestException($"Flow '{flowType.Name}' was not valid when this program was published, so it cannot run: {problem}");
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
            try
            {
                flows[KeyOf(flowType)] = Record(flowType);
            }
            catch (Exception e) when (e is FlowDefinitionException or Config.ConfigException or InvalidOperationException or ArgumentException or NotSupportedException)
            {
                // One flow being written does not stop the program's other flows from shipping: the native program
                // refuses this one with the message the JIT build gives, and the publish warns (MSBuild's format).
                Console.WriteLine($"{path}: warning SF0201: flow '{flowType.FullName}' is not valid and will refuse to run: {e.Message}");
                flows[KeyOf(flowType)] = new FlowManifestFlow(flowType.Module.ModuleVersionId, "", [], e.Message, Declarations(flowType));
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new FlowManifestDocument(FormatVersion, flows), FlowManifestJsonContext.Default.FlowManifestDocument));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The program's manifest, read once (a refusal is thrown again at every call, naming <paramref name="flowType"/>).</summary>
    private static LoadedManifest Document(Type flowType)
    {
        var path = PathOf();
        return Loaded.TryGetValue(path, out var read) ? read : Loaded.GetOrAdd(path, new LoadedManifest(Read(path, flowType)));
    }

    /// <summary>The metadata tokens of every member declared by <paramref name="flowType"/> and its base classes up to FlowSpec.</summary>
    private static SortedDictionary<string, int> Declarations(Type flowType)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var tokens = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var type = flowType; type is not null && type != typeof(FlowSpec); type = type.BaseType)
        {
            foreach (var member in type.GetMembers(all))
            {
                var key = DeclarationKey(member);
                tokens[key] = tokens.TryGetValue(key, out var other) ? Math.Min(other, member.MetadataToken) : member.MetadataToken; // overloads: the first
            }
        }
        return tokens;
    }

    private static string DeclarationKey(MemberInfo member) =>
        $"{member.DeclaringType!.Assembly.GetName().Name}:{member.DeclaringType.FullName}::{member.MemberType}:{member.Name}";

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
                StepArtifactUse.Of(flowType, node)?.Order(StringComparer.Ordinal).ToArray(), hash, members, unreadable, StepDocumentation.Of(flowType, node.Method));
        }).ToArray();
        return new FlowManifestFlow(flowType.Module.ModuleVersionId, FlowVersion.Of(graph), steps, Declarations: Declarations(flowType));
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
                if (reference.Name is { } name && name != core && seen.Add(name) && TryLoad(reference) is { } referenced
                    && referenced.GetReferencedAssemblies().Any(r => r.Name == core))
                {
                    pending.Enqueue(referenced);
                }
            }
        }
    }

    /// <summary>A referenced assembly the build output has; null for one compiled against but not shipped (the program cannot run its flows either).</summary>
    private static Assembly? TryLoad(AssemblyName reference)
    {
        try
        {
            return Assembly.Load(reference);
        }
        catch (FileNotFoundException)
        {
            return null;
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

/// <summary>
/// A NativeAOT program's flow manifest is missing, damaged, from another build, or records the flow as invalid; the
/// message says which and what to do (a refusal, like every <see cref="InvalidOperationException"/> the CLI reports).
/// </summary>
internal sealed class FlowManifestException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>The manifest file: its layout version and every recorded flow, keyed <c>assembly:full type name</c>.</summary>
internal sealed record FlowManifestDocument(int Format, SortedDictionary<string, FlowManifestFlow> Flows);

/// <summary>
/// One flow: the module (build) it was read from, its <see cref="FlowVersion"/> and its steps in declaration order; or,
/// for a flow its build could not read, why (<paramref name="Invalid"/>).
/// </summary>
internal sealed record FlowManifestFlow(
    Guid Module, string Version, IReadOnlyList<FlowManifestStep> Steps, string? Invalid = null, IReadOnlyDictionary<string, int>? Declarations = null);

/// <summary>A manifest as read, with every flow's recorded member tokens (<see cref="FlowManifestFlow.Declarations"/>) in one lookup.</summary>
internal sealed class LoadedManifest(FlowManifestDocument document)
{
    public SortedDictionary<string, FlowManifestFlow> Flows => document.Flows;

    public IReadOnlyDictionary<string, int> Declarations { get; } = document.Flows.Values
        .SelectMany(f => f.Declarations ?? new Dictionary<string, int>()).DistinctBy(d => d.Key).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
}

/// <summary>
/// One step: its transition calls, the artifacts it can touch (null: any), its <see cref="StepCode"/> (hash and
/// members) or why its code could not be read, and its <see cref="StepDocumentation"/> (a native program ships no
/// documentation file).
/// </summary>
internal sealed record FlowManifestStep(
    string Name, IReadOnlyList<TransitionCall> Transitions, IReadOnlyList<string>? ArtifactUse, string? CodeHash, IReadOnlyList<string>? CodeMembers, string? CodeUnreadable,
    string? Description = null);

// A field left out or null where the records say it cannot be is a damaged manifest (a JsonException), not a NullReferenceException later.
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(FlowManifestDocument))]
internal sealed partial class FlowManifestJsonContext : JsonSerializerContext;
