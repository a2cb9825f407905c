using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-card</c>: shows a task's cards (its options are read from the directive line as written).</summary>
public sealed class FlowCardCommand : KernelDirectiveCommand;
