using System.CommandLine;
using Sharpflow.Compute;
using Sharpflow.Datastore;

namespace Sharpflow.Extensibility;

/// <summary>What add-ons register into: the one table of backends, datastore schemes, commands and refusals.</summary>
public sealed class AddOnRegistry
{
    private readonly Dictionary<string, (IComputeBackend Backend, string Package)> _backends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Func<string, IBlobStore> Open, IReadOnlyList<string> Plain, IReadOnlyList<string> Secret, string Package, System.Reflection.Assembly? Assembly)> _datastores = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(Func<AddOnCommandContext, Command> Build, string Package)> _commands = [];
    private readonly List<Func<Exception, bool>> _refusals = [];
    private readonly Lock _lock = new();

    internal string CurrentPackage { get; set; } = "";

    internal System.Reflection.Assembly? CurrentAssembly { get; set; }

    /// <summary>Adds a compute backend (<c>--with NAME</c>, and its attribute if it has one).</summary>
    public void AddComputeBackend(IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        lock (_lock)
        {
            if (_backends.TryGetValue(backend.Name, out var existing) && existing.Backend.GetType() != backend.GetType())
            {
                throw new InvalidOperationException($"Two add-ons register the compute backend '{backend.Name}': {existing.Package} and {CurrentPackage}.");
            }
            _backends[backend.Name] = (backend, CurrentPackage);
        }
    }

    /// <summary>
    /// Adds a datastore scheme: <paramref name="open"/> turns a root such as <c>s3://bucket/prefix</c> into a store. A
    /// worker elsewhere needs the environment variables that open it too: <paramref name="plainVariables"/> (endpoint,
    /// region) may travel as plain settings, <paramref name="secretVariables"/> (credentials) only privately.
    /// </summary>
    public void AddDatastore(string scheme, Func<string, IBlobStore> open, IReadOnlyList<string>? plainVariables = null, IReadOnlyList<string>? secretVariables = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(open);
        lock (_lock)
        {
            _datastores[scheme] = (open, plainVariables ?? [], secretVariables ?? [], CurrentPackage, CurrentAssembly);
        }
    }

    /// <summary>Adds a command to every flow's command line (e.g. <c>argo-workflows</c>).</summary>
    public void AddCommand(Func<AddOnCommandContext, Command> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (_lock)
        {
            _commands.Add((build, CurrentPackage));
        }
    }

    /// <summary>
    /// Marks failures the add-on raises that are the user's to fix (an S3 "access denied", say): the CLI prints their
    /// message and exits 2 instead of printing a stack trace.
    /// </summary>
    public void AddRefusal(Func<Exception, bool> isRefusal)
    {
        ArgumentNullException.ThrowIfNull(isRefusal);
        lock (_lock)
        {
            _refusals.Add(isRefusal);
        }
    }

    internal IReadOnlyList<IComputeBackend> Backends
    {
        get
        {
            lock (_lock)
            {
                return [.. _backends.Values.Select(b => b.Backend)];
            }
        }
    }

    internal IComputeBackend? Backend(string name)
    {
        lock (_lock)
        {
            return _backends.TryGetValue(name, out var found) ? found.Backend : null;
        }
    }

    internal Func<string, IBlobStore>? Datastore(string scheme)
    {
        lock (_lock)
        {
            return _datastores.TryGetValue(scheme, out var found) ? found.Open : null;
        }
    }

    /// <summary>The assemblies of the add-ons that open datastores (a worker elsewhere needs them to reach the run's datastore).</summary>
    internal IReadOnlyList<System.Reflection.Assembly> DatastoreAssemblies
    {
        get
        {
            lock (_lock)
            {
                return [.. _datastores.Values.Select(d => d.Assembly).OfType<System.Reflection.Assembly>().Distinct()];
            }
        }
    }

    internal IReadOnlyList<string> DatastoreSettings
    {
        get
        {
            lock (_lock)
            {
                return [.. _datastores.Values.SelectMany(d => d.Plain.Concat(d.Secret)).Distinct(StringComparer.Ordinal)];
            }
        }
    }

    internal IReadOnlyList<string> PlainDatastoreSettings
    {
        get
        {
            lock (_lock)
            {
                return [.. _datastores.Values.SelectMany(d => d.Plain).Distinct(StringComparer.Ordinal)];
            }
        }
    }

    internal IReadOnlyList<Func<AddOnCommandContext, Command>> Commands
    {
        get
        {
            lock (_lock)
            {
                return [.. _commands.Select(c => c.Build)];
            }
        }
    }

    internal bool IsRefusal(Exception e)
    {
        lock (_lock)
        {
            return _refusals.Any(r => r(e));
        }
    }
}
