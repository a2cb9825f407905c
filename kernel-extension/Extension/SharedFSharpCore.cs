using System.Reflection;

namespace Sharpflow.Interactive.Extension;

/// <summary>
/// Lets Plotly.NET charts work in the kernel. Plotly.NET 6 is built against FSharp.Core 10.1, while the kernel tool
/// ships (and has already loaded) FSharp.Core 10.0; one process holds one FSharp.Core, so a request for the newer one
/// is answered with the loaded one. Plotly.NET uses nothing of 10.1 that 10.0 lacks, and no F# types cross into C#.
/// </summary>
internal static class SharedFSharpCore
{
    private const string Name = "FSharp.Core";
    private static int _installed;

    [ThreadStatic]
    private static bool _resolving;

    /// <summary>Installs the resolver once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        if (_resolving || new AssemblyName(args.Name).Name != Name)
        {
            return null;
        }
        _resolving = true;
        try
        {
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == Name)
                ?? Assembly.Load(new AssemblyName(Name)); // the host's own copy, whatever its version
        }
        finally
        {
            _resolving = false;
        }
    }
}
