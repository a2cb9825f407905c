using Sharpflow;
using Sharpflow.NativeFlows;

[assembly: ArtifactJsonContext(typeof(NativeFlowJson))]

// NATIVE_FLOW_PROGRAM picks one of the program's broken flows (UnfinishedFlow.cs).
return Environment.GetEnvironmentVariable("NATIVE_FLOW_PROGRAM") switch
{
    "unfinished" => await FlowMain.RunAsync<UnfinishedFlow>(args),
    "read-only-parameter" => await FlowMain.RunAsync<ReadOnlyParameterFlow>(args),
    _ => await FlowMain.RunAsync<NativeFlow>(args),
};
