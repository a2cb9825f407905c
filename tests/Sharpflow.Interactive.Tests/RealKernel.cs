using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Sharpflow.Interactive.Tests;

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
    public async Task<CellResult> RunCellAsync(string code)
    {
        var result = await _kernel.SendAsync(new SubmitCode(code));
        return new CellResult(code, result.Events);
    }

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

/// <summary>What one cell produced.</summary>
public sealed record CellResult(string Code, IReadOnlyList<KernelEvent> Events)
{
    /// <summary>The failure of the cell, or null when it succeeded.</summary>
    public CommandFailed? Failure => Events.OfType<CommandFailed>().FirstOrDefault();

    /// <summary>Errors the kernel reported without failing the cell (an extension script that did not compile, say).</summary>
    public IEnumerable<ErrorProduced> Errors => Events.OfType<ErrorProduced>();

    /// <summary>The HTML of every value the cell displayed or returned (updates included), in order.</summary>
    public IEnumerable<string> Html => Events.OfType<DisplayEvent>()
        .SelectMany(e => e.FormattedValues.Where(v => v.MimeType == HtmlFormatter.MimeType).Select(v => v.Value));

    /// <summary>Everything the cell showed as text: HTML with its tags stripped and entities decoded, plain text, stdout.</summary>
    public string Text => string.Join("\n", Events.SelectMany(e => e switch
    {
        DisplayEvent display => display.FormattedValues.Select(v => v.MimeType == HtmlFormatter.MimeType ? StripTags(v.Value) : v.Value),
        _ => [],
    }));

    /// <summary>The values the cell displayed (not their updates), in order, as HTML.</summary>
    public IReadOnlyList<string> DisplayedHtml => [.. Events.OfType<DisplayedValueProduced>()
        .Select(e => e.FormattedValues.FirstOrDefault(v => v.MimeType == HtmlFormatter.MimeType)?.Value ?? "")];

    /// <summary>
    /// Checks the live view of a run (a magic or a step cell): it is the cell's first display, updated in place (every
    /// update carries its value id) at least once, and its last state names how the run ended. Returns that last state.
    /// </summary>
    public string LiveView()
    {
        var shown = Events.OfType<DisplayedValueProduced>().FirstOrDefault();
        Assert.True(shown is not null, $"No live view in:\n{Code}\n{Text}");
        Assert.True(shown!.FormattedValues.Single(v => v.MimeType == HtmlFormatter.MimeType).Value.Contains("sf-live", StringComparison.Ordinal),
            $"The first value shown is not a live view:\n{Code}\n{Text}");
        var updates = Events.OfType<DisplayedValueUpdated>().ToArray();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(shown.ValueId, u.ValueId));
        var last = updates[^1].FormattedValues.Single(v => v.MimeType == HtmlFormatter.MimeType).Value;
        Assert.Matches("· (succeeded|failed|cancelled) ·", System.Net.WebUtility.HtmlDecode(last));
        return last;
    }

    /// <summary>Fails with everything the cell reported unless it succeeded without errors.</summary>
    public CellResult Succeeded()
    {
        Assert.True(Failure is null && !Errors.Any(),
            $"Cell failed:\n{Code}\n---\n{Failure?.Message}\n{Failure?.Exception}\n{string.Join("\n", Errors.Select(e => e.Message))}\n---\n{Text}");
        return this;
    }

    /// <summary>Fails unless the cell failed; returns the failure's message.</summary>
    public string FailedWith()
    {
        Assert.True(Failure is not null, $"Cell was meant to fail but succeeded:\n{Code}\n---\n{Text}");
        return Failure!.Message;
    }

    /// <summary>HTML as the text a reader sees: tags, styles and scripts removed, entities decoded.</summary>
    public static string StripTags(string html)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<(style|script)[^>]*>.*?</\\1>", "", System.Text.RegularExpressions.RegexOptions.Singleline);
        text = System.Text.RegularExpressions.Regex.Replace(text, "</?(b|i|em|strong|code|span|a)( [^>]*)?>", ""); // inline: no break
        return System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " "));
    }
}
