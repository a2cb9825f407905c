using MyFlows;
using Sharpflow;

// The flow's command line: run, resume, spin, show, check, runs, dump, logs, tag, card (each with --help).
return await FlowMain.RunAsync<MyFlowsFlow>(args);
