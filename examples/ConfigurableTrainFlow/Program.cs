using ConfigurableTrainExample;
using Sharpflow;

// Model variants by swapping config files, no code change:
//   dotnet run --project examples/ConfigurableTrainFlow -- run                                     (configs/failures.toml)
//   dotnet run --project examples/ConfigurableTrainFlow -- run --config model=configs/overheating.toml
return await FlowMain.RunAsync<VariantTrainFlow>(args);
