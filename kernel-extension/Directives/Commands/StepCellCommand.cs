using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives.Commands;

/// <summary>The kernel command of <c>#!step</c>: a step cell (the rest of the cell is the step's body) (its options are read from the directive line as written).</summary>
public sealed class StepCellCommand : KernelDirectiveCommand;
