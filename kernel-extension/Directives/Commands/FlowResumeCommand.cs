using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!flow-resume</c>: resumes a run with the flow's current definition (its options are read from the directive line as written).</summary>
public sealed class FlowResumeCommand : KernelDirectiveCommand;
