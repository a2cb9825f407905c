using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-logs</c>: shows the output of a step's tasks (its options are read from the directive line as written).</summary>
public sealed class FlowLogsCommand : KernelDirectiveCommand;
