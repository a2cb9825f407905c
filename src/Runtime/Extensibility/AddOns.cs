using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Sharpflow.Compute;
using Sharpflow.Datastore;

namespace Sharpflow.Extensibility;

/// <summary>
/// The add-ons this process has: found once, registered in one <see cref="AddOnRegistry"/>, read by the core, the CLI,
/// the worker, notebooks and the editor. An add-on is an assembly with <see cref="SharpflowAddOnAttribute"/>: every
/// <c>Sharpflow.*.dll</c> beside the application (read without loading the others), every loaded assembly, and every
/// assembly loaded later (a notebook's <c>#r "nuget: Sharpflow.Slurm"</c>). Hosts may also <see cref="Register"/> one.
/// </summary>
public static class AddOns
{
    private static readonly AddOnRegistry Registry = new();
    private static readonly Lock Gate = new();
    private static readonly NewAssemblies NewAssemblies = new();
    private static readonly HashSet<Type> Registered = [];
    private static readonly List<Assembly> AddOnAssemblies = [];
    private static readonly List<string> Failures = [];

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A native (AOT) application has no add-on assemblies beside it to load: its host registers the add-ons it was built with (Register).")]
    static AddOns()
    {
        foreach (var file in BesideTheApplication())
        {
            try
            {
                Assembly.LoadFrom(file); // queued by the load event
            }
            catch (Exception e) when (e is IOException or BadImageFormatException)
            {
                Console.Error.WriteLine($"warning: the Sharpflow add-on {file} could not be loaded: {e.Message}");
            }
        }
    }

    /// <summary>The compute backends every add-on registered.</summary>
    public static IReadOnlyList<IComputeBackend> ComputeBackends => Current.Backends;

    /// <summary>
    /// The compute backend named <paramref name="name"/> (<c>--with slurm</c>); a missing one is an error naming the
    /// package that brings it (or the backends there are).
    /// </summary>
    public static IComputeBackend ComputeBackend(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Current.Backend(name) ?? throw new InvalidOperationException((OfficialAddOns.Backends.TryGetValue(name, out var package)
            ? $"The compute backend '{name}' comes with the package {package}: add it to the flow's project (dotnet add package {package}; in a notebook: #r \"nuget: {package}\")."
            : $"There is no compute backend '{name}'. The backends here are: {Known(ComputeBackends.Select(b => b.Name))}; others come with add-on packages ({string.Join(", ", OfficialAddOns.Backends.Select(b => $"{b.Key}: {b.Value}"))}).")
            + FailuresNote());
    }

    /// <summary>Opens the datastore at <paramref name="root"/>, a <c>scheme://...</c> URI an add-on registered (a folder is the core's).</summary>
    public static IBlobStore OpenDatastore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var scheme = DatastoreLocation.SchemeOf(root) ?? throw new ArgumentException($"'{root}' is not a datastore URI (scheme://...).", nameof(root));
        var open = Current.Datastore(scheme) ?? throw new InvalidOperationException((OfficialAddOns.Datastores.TryGetValue(scheme, out var package)
            ? $"The datastore '{root}' needs the package {package}: add it to the flow's project (dotnet add package {package}; in a notebook: #r \"nuget: {package}\")."
            : $"No add-on opens '{scheme}://' datastores; a datastore is a folder, or a URI of a scheme an add-on registers (s3:// with {OfficialAddOns.Datastores["s3"]}).")
            + FailuresNote());
        return open(root);
    }

    /// <summary>
    /// The environment variables a worker on another machine needs to open this process's datastore: the root variable
    /// and what the datastore add-ons declared (endpoints, credentials). Backends forward the ones set, privately.
    /// </summary>
    public static IReadOnlyList<string> DatastoreSettingVariables => [DatastoreLocation.RootVariable, .. Current.DatastoreSettings];

    /// <summary>The datastore settings that are not secret (endpoints, regions): they may be passed as plain settings.</summary>
    public static IReadOnlyList<string> PlainDatastoreSettingVariables => Current.PlainDatastoreSettings;

    /// <summary>
    /// Loads the assembly at <paramref name="path"/> if it declares an add-on (a host that gets packages by path: a
    /// notebook's <c>#r "nuget: Sharpflow.Slurm"</c>, whose assemblies load only once code uses them); returns whether it did.
    /// </summary>
    public static bool Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path) || !DeclaresAnAddOn(path))
        {
            return false;
        }
        var name = AssemblyName.GetAssemblyName(path).Name;
        if (!AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == name))
        {
            Assembly.LoadFrom(path); // queued by the load event
        }
        _ = Current;
        return true;
    }

    /// <summary>Registers an add-on by hand (a host that loads one itself); registering the same type again does nothing.</summary>
    public static void Register(ISharpflowAddOn addOn)
    {
        ArgumentNullException.ThrowIfNull(addOn);
        lock (Gate)
        {
            if (Registered.Add(addOn.GetType()))
            {
                if (!AddOnAssemblies.Contains(addOn.GetType().Assembly))
                {
                    AddOnAssemblies.Add(addOn.GetType().Assembly);
                }
                Registry.CurrentPackage = addOn.PackageId;
                Registry.CurrentAssembly = addOn.GetType().Assembly;
                try
                {
                    addOn.Register(Registry);
                }
                finally
                {
                    Registry.CurrentPackage = "";
                    Registry.CurrentAssembly = null;
                }
            }
        }
    }

    /// <summary>The assemblies of the add-ons registered (an editor compiles notebook cells against them).</summary>
    public static IReadOnlyList<Assembly> Assemblies
    {
        get
        {
            _ = Current;
            lock (Gate)
            {
                return [.. AddOnAssemblies];
            }
        }
    }

    /// <summary>The assemblies of the add-ons that open datastores: code packages carry them, so workers reach the same datastores.</summary>
    internal static IReadOnlyList<Assembly> DatastoreAssemblies => Current.DatastoreAssemblies;

    /// <summary>Commands add-ons add to every flow's command line.</summary>
    internal static IReadOnlyList<Func<AddOnCommandContext, System.CommandLine.Command>> Commands => Current.Commands;

    /// <summary>Whether an add-on marked <paramref name="e"/> as a failure the user fixes.</summary>
    internal static bool IsRefusal(Exception e) => Current.IsRefusal(e);

    private static AddOnRegistry Current
    {
        get
        {
            lock (Gate)
            {
                foreach (var assembly in NewAssemblies.Take().Where(a => !a.IsDynamic))
                {
                    foreach (var declared in assembly.GetCustomAttributes<SharpflowAddOnAttribute>())
                    {
                        if (Registered.Contains(declared.AddOnType))
                        {
                            continue; // registered by its host already
                        }
                        try
                        {
                            Register(Activator.CreateInstance(declared.AddOnType) as ISharpflowAddOn ?? throw new InvalidOperationException(
                                $"[assembly: SharpflowAddOn(typeof({declared.AddOnType.Name}))] must name a class implementing ISharpflowAddOn."));
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            // One broken add-on must not take the others down: it is said now, and again where what it would bring is missing.
                            var failure = $"the add-on {declared.AddOnType.FullName} in {assembly.GetName().Name} failed to register: {(e as TargetInvocationException)?.InnerException?.Message ?? e.Message}";
                            Failures.Add(failure);
                            Console.Error.WriteLine($"warning: {failure}");
                        }
                    }
                }
                return Registry;
            }
        }
    }

    /// <summary>The <c>Sharpflow.*.dll</c> files beside the application that declare an add-on, read as metadata only.</summary>
    private static IEnumerable<string> BesideTheApplication()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "Sharpflow.*.dll"))
        {
            if (!loaded.Contains(Path.GetFileNameWithoutExtension(file)) && DeclaresAnAddOn(file))
            {
                yield return file;
            }
        }
    }

    private static bool DeclaresAnAddOn(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }
            var metadata = pe.GetMetadataReader();
            return metadata.GetAssemblyDefinition().GetCustomAttributes().Select(metadata.GetCustomAttribute).Any(attribute =>
                attribute.Constructor.Kind == HandleKind.MemberReference
                && metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
                && metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name) == nameof(SharpflowAddOnAttribute));
        }
        catch (BadImageFormatException)
        {
            return false; // not a .NET assembly
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file beside the app that cannot be read (locked by a build, no permission): said, and not taken as an add-on.
            Console.Error.WriteLine($"warning: {file} could not be read to see whether it is a Sharpflow add-on: {e.Message}");
            return false;
        }
    }

    /// <summary>What add-ons failed to register, for a "missing" error: the package may be there but broken.</summary>
    private static string FailuresNote()
    {
        lock (Gate)
        {
            return Failures.Count == 0 ? "" : $" Note: {string.Join("; ", Failures)}.";
        }
    }

    private static string Known(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order()) : "(none)";
}
