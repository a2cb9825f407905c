using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-help</c>: lists the magics (its options are read from the directive line as written).</summary>
public sealed class FlowHelpCommand : KernelDirectiveCommand;
