using Sharpflow;
using Sharpflow.NativeFlows;

[assembly: ArtifactJsonContext(typeof(NativeFlowJson))]

return await FlowMain.RunAsync<NativeFlow>(args);
