using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-define</c>: a flow cell (the rest of the cell declares the flow's members) (its options are read from the directive line as written).</summary>
public sealed class FlowDefineCellCommand : KernelDirectiveCommand;
