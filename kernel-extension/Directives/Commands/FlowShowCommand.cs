using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-show</c>: shows a flow's graph or a run (its options are read from the directive line as written).</summary>
public sealed class FlowShowCommand : KernelDirectiveCommand;
