using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-spin</c>: runs one step with a past run's inputs (its options are read from the directive line as written).</summary>
public sealed class FlowSpinCommand : KernelDirectiveCommand;
