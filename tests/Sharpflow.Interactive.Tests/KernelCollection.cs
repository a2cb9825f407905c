namespace Sharpflow.Interactive.Tests;

/// <summary>
/// The tests that share one packing of Sharpflow. They run one at a time: each sets the process's working directory to
/// its own notebook folder, as a kernel started for that notebook has it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<PackedSharpflow>
{
    public const string Name = "Sharpflow packed for the kernel";
}
