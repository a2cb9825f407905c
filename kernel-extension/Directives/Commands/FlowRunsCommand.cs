using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-runs</c>: lists a flow's runs (its options are read from the directive line as written).</summary>
public sealed class FlowRunsCommand : KernelDirectiveCommand;
