using System.Reflection;

namespace Sharpflow;

/// <summary>
/// The assemblies of this process, each handed out once: those loaded when it is made, then every one that loads later
/// (a notebook cell, a <c>#r</c>). It subscribes before the first scan, so an assembly loading in between is queued, not missed.
/// </summary>
internal sealed class NewAssemblies
{
    private readonly Lock _gate = new();
    private readonly Queue<Assembly> _pending = new();
    private readonly HashSet<Assembly> _seen = [];

    public NewAssemblies()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            lock (_gate)
            {
                _pending.Enqueue(e.LoadedAssembly);
            }
        };
        lock (_gate)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                _pending.Enqueue(assembly);
            }
        }
    }

    /// <summary>The assemblies not handed out yet, in the order they loaded.</summary>
    public IReadOnlyList<Assembly> Take()
    {
        lock (_gate)
        {
            var taken = new List<Assembly>();
            while (_pending.TryDequeue(out var assembly))
            {
                if (_seen.Add(assembly))
                {
                    taken.Add(assembly);
                }
            }
            return taken;
        }
    }
}
