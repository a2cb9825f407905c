using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Formatting;
using Sharpflow.CellFlows;
using Sharpflow.Interactive.Directives;
using Sharpflow.Interactive.Directives.Commands;

namespace Sharpflow.Interactive.Extension;

/// <summary>
/// Sharpflow in a .NET Interactive kernel (Polyglot Notebooks, Jupyter): registers the <c>#!flow-*</c> magics and the
/// <c>#!flow-define</c> / <c>#!step</c> cells on the kernel. The package's <c>extension.dib</c> calls
/// <see cref="LoadAsync"/> when a notebook references it; all logic lives in <see cref="FlowMagics"/>.
/// </summary>
public static class SharpflowExtension
{
    /// <summary>Registers Sharpflow's magics on the root of <paramref name="kernel"/> (the kernel running the loading cell).</summary>
    public static Task LoadAsync(Kernel kernel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        cancellationToken.ThrowIfCancellationRequested();
        var root = kernel.RootKernel;
        SharedFSharpCore.Install();

        var packages = new NotebookPackages(root, KernelInvocationContext.Current);
        root.RegisterForDisposal(packages);
        var magics = new FlowMagics();
        magics.Cells.AssemblyReferences = packages.AssemblyPaths;
        magics.Cells.PackageReferences = packages.PackageSpecs;

        var run = MagicDirectives.Run(magics);
        AddMagic<FlowRunCommand>(root, run, magics);
        AddMagic<FlowResumeCommand>(root, MagicDirectives.Resume(magics), magics);
        AddMagic<FlowSpinCommand>(root, MagicDirectives.Spin(magics), magics);
        AddMagic<FlowShowCommand>(root, MagicDirectives.Show(), magics);
        AddMagic<FlowRunsCommand>(root, MagicDirectives.Runs(), magics);
        AddMagic<FlowCardCommand>(root, MagicDirectives.Card(), magics);
        AddMagic<FlowLogsCommand>(root, MagicDirectives.Logs(), magics);
        AddMagic<FlowExportCommand>(root, MagicDirectives.Export(), magics);
        AddMagic<FlowHelpCommand>(root, MagicDirectives.Help(), magics);
        // A flow cell's body belongs to the flow, not to the C# script: the directive's handler has run the whole cell.
        if (root.FindKernelByName("csharp") is { } csharp)
        {
            csharp.AddMiddleware(async (command, context, next) =>
            {
                if (!IsBodyOfFlowCell(command))
                {
                    await next(command, context);
                }
            });
        }

        // Flows defined by a cell get their parameters offered on #!flow-run before the next cell is parsed.
        var parameters = new FlowParameterOptions(run);
        AddCell<FlowDefineCellCommand>(root, MagicDirectives.DefineCell(), magics, parameters);
        AddCell<StepCellCommand>(root, MagicDirectives.StepCell(), magics, parameters);
        root.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            if (command is SubmitCode)
            {
                OfferParameters(parameters, context);
            }
        });
        parameters.OfferNewFlows();
        return Task.CompletedTask;
    }

    private static void AddMagic<TCommand>(Kernel root, KernelActionDirective directive, FlowMagics magics)
        where TCommand : KernelDirectiveCommand =>
        root.AddDirective<TCommand>(directive, async (command, context) =>
            Show(await magics.ExecuteAsync(DirectiveLine.Of(command, directive.Name), new KernelDisplay(context), context.CancellationToken), command, context));

    private static void AddCell<TCommand>(Kernel root, KernelActionDirective directive, FlowMagics magics, FlowParameterOptions parameters)
        where TCommand : KernelDirectiveCommand =>
        root.AddDirective<TCommand>(directive, async (command, context) =>
        {
            var outcome = await magics.ExecuteCellAsync(DirectiveLine.CellOf(command).Code, new KernelDisplay(context), context.CancellationToken);
            OfferParameters(parameters, context);
            Show(outcome, command, context);
        });

    private static void OfferParameters(FlowParameterOptions parameters, KernelInvocationContext context)
    {
        parameters.OfferNewFlows();
        foreach (var problem in parameters.TakeProblems()) // with those of flows loaded before the extension
        {
            context.DisplayAs(problem, PlainTextFormatter.MimeType);
        }
    }

    /// <summary>Shows the outcome's values in order; a failed outcome then fails the cell (its HTML stays shown).</summary>
    private static void Show(MagicOutcome outcome, KernelCommand command, KernelInvocationContext context)
    {
        foreach (var output in outcome.Outputs)
        {
            context.Display(output switch
            {
                HtmlResult html => html.Html.ToHtmlContent(),
                CellResult cell => cell.Html.ToHtmlContent(),
                _ => output,
            }, HtmlFormatter.MimeType);
        }
        if (outcome.Failure is { } failure)
        {
            context.Fail(command, message: failure);
        }
    }

    /// <summary>A C# submission split from a flow or step cell (its body), to run or analyse; the flow owns it.</summary>
    private static bool IsBodyOfFlowCell(KernelCommand command) => command switch
    {
        SubmitCode { Parent: SubmitCode cell } => FlowCellParser.IsFlowCell(cell.Code),
        RequestDiagnostics { Parent: RequestDiagnostics cell } => FlowCellParser.IsFlowCell(cell.Code),
        _ => false,
    };
}
