using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace Sharpflow.Interactive.Extension;

/// <summary>
/// The NuGet packages a notebook has referenced with <c>#r "nuget: ..."</c>: their assemblies (flow and step cells
/// compile against them before any C# cell has used them) and their names and versions (written into exported flow
/// files). Packages restored by the cell that loaded Sharpflow are read from that cell's events, later ones as they are
/// added, and earlier ones from the C# kernel's script references. Add-on packages are registered as they arrive.
/// </summary>
internal sealed class NotebookPackages : IObserver<KernelEvent>, IDisposable
{
    /// <summary>Sharpflow's own packages that an exported flow gets otherwise (its core reference) or does not need.</summary>
    private static readonly HashSet<string> CorePackages = new(["Sharpflow", "Sharpflow.Interactive", "Sharpflow.CellFlows", "Sharpflow.Cards.Plotly"], StringComparer.OrdinalIgnoreCase);

    private readonly List<ResolvedPackageReference> _packages = [];
    private readonly Lock _lock = new();
    private readonly CSharpKernel? _csharp;
    private readonly IDisposable _subscription;

    public NotebookPackages(Kernel root, KernelInvocationContext? loadingCell)
    {
        _csharp = root.FindKernelByName("csharp") as CSharpKernel;
        foreach (var added in loadingCell?.Result.Events.OfType<PackageAdded>() ?? [])
        {
            Add(added.PackageReference);
        }
        _subscription = root.KernelEvents.Subscribe(this);
    }

    /// <summary>Every assembly of the notebook's packages and of the C# kernel's references so far.</summary>
    public IEnumerable<string> AssemblyPaths()
    {
        string[] fromPackages;
        lock (_lock)
        {
            fromPackages = [.. _packages.SelectMany(p => p.AssemblyPaths)];
        }
        var fromScript = _csharp?.ScriptState?.Script.Options.MetadataReferences.OfType<PortableExecutableReference>()
            .Select(r => r.FilePath).OfType<string>() ?? [];
        return fromPackages.Concat(fromScript).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The notebook's packages other than Sharpflow's core and notebook ones (add-ons such as Sharpflow.Slurm stay), as <c>Name@Version</c>.</summary>
    public IEnumerable<string> PackageSpecs()
    {
        lock (_lock)
        {
            return _packages.Where(p => !CorePackages.Contains(p.PackageName))
                .Select(p => $"{p.PackageName}@{p.PackageVersion}").ToArray();
        }
    }

    public void OnNext(KernelEvent value)
    {
        if (value is PackageAdded added)
        {
            Add(added.PackageReference);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public void Dispose() => _subscription.Dispose();

    private void Add(ResolvedPackageReference package)
    {
        lock (_lock)
        {
            _packages.RemoveAll(p => string.Equals(p.PackageName, package.PackageName, StringComparison.OrdinalIgnoreCase));
            _packages.Add(package);
        }
        // An add-on package (#r "nuget: Sharpflow.Slurm") is registered now: its backend serves --with before any cell uses its types.
        foreach (var assembly in package.AssemblyPaths.Where(p => Path.GetFileName(p).StartsWith("Sharpflow.", StringComparison.OrdinalIgnoreCase)))
        {
            Extensibility.AddOns.Load(assembly);
        }
    }
}
