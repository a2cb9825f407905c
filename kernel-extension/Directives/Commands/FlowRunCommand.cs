using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-run</c>: runs a flow with a live view (its options are read from the directive line as written).</summary>
public sealed class FlowRunCommand : KernelDirectiveCommand;
