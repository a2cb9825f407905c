using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Sharpflow.Testing;

/// <summary>
/// The real .NET Interactive kernel, in process, put together as the kernel tool (Microsoft.dotnet-interactive
/// 1.0.712001) puts together its C# kernel: the C# kernel with NuGet support whose restored assemblies become script
/// references, the kernel helpers (<c>display</c>), value sharing, HTML as the default MIME type, and a package's
/// <c>interactive-extensions/dotnet/extension.dib</c> run after the cell that added the package. Only that host wiring
/// is written here (the tool's own assembly is not a package); every kernel behaviour is the kernel's.
/// </summary>
public sealed class RealKernel : IDisposable
{
    private readonly CompositeKernel _kernel;

    public RealKernel()
    {
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseValueSharing();
        _kernel = new CompositeKernel { csharp };
        _kernel.DefaultKernelName = csharp.Name;
        UseNuGetExtensions(_kernel);
    }

    /// <summary>The kernel, for commands other than code.</summary>
    public Kernel Kernel => _kernel;

    /// <summary>Submits a cell's code as a notebook front end does and returns every event the cell produced.</summary>
    public async Task<IReadOnlyList<KernelEvent>> SubmitAsync(string code) => (await _kernel.SendAsync(new SubmitCode(code))).Events;

    public void Dispose() => _kernel.Dispose();

    /// <summary>The tool's extension route: after a cell that added packages, each package's extension.dib is run.</summary>
    private static void UseNuGetExtensions(CompositeKernel kernel)
    {
        var added = new Queue<PackageAdded>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        kernel.RegisterForDisposal(kernel.KernelEvents.OfType<PackageAdded>().Subscribe(package =>
        {
            lock (added)
            {
                if (seen.Add(package.PackageReference.PackageRoot))
                {
                    added.Enqueue(package);
                }
            }
        }));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (true)
            {
                PackageAdded? package;
                lock (added)
                {
                    if (!added.TryDequeue(out package))
                    {
                        break;
                    }
                }
                var extension = new FileInfo(Path.Combine(package.PackageReference.PackageRoot, "interactive-extensions", "dotnet", "extension.dib"));
                if (extension.Exists)
                {
                    await kernel.LoadAndRunInteractiveDocument(extension, context.Command);
                }
            }
        });
    }
}
