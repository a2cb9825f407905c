using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-export</c>: writes a flow built from cells as a flow file (its options are read from the directive line as written).</summary>
public sealed class FlowExportCommand : KernelDirectiveCommand;
