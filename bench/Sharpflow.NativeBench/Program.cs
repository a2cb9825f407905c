using System.Diagnostics;
using System.Globalization;
using Sharpflow;
using Sharpflow.Bench;

// The bench's 4-step flow as a native program. `idle` starts and ends without a flow (the baseline); anything else is
// the flow's own command line. Either way the last line printed is the process's CPU time in milliseconds, as the JIT
// bench child `cli` prints it.
var exit = args is ["idle"] ? 0 : await FlowMain.RunAsync<FourStepFlow>(args);
Console.WriteLine(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
return exit;
