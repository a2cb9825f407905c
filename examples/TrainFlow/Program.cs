using Sharpflow;
using TrainFlowExample;

return await FlowMain.RunAsync<TrainFlow>(args);
