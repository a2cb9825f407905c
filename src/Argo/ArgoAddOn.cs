using Sharpflow.Extensibility;

[assembly: SharpflowAddOn(typeof(Sharpflow.Argo.ArgoAddOn))]

namespace Sharpflow.Argo;

/// <summary>The Argo Workflows add-on: adds the <c>argo-workflows</c> command to every flow's command line.</summary>
public sealed class ArgoAddOn : ISharpflowAddOn
{
    /// <inheritdoc />
    public string PackageId => "Sharpflow.Argo";

    /// <inheritdoc />
    public void Register(AddOnRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddCommand(context => ArgoWorkflowsCommand.Build(context.FlowType, context.Datastore, new CliOutput(context.Out, context.Error), context.TaskCommand));
    }
}
