using System.Text.Json;
using System.Text.Json.Serialization;
using Sharpflow.Artifacts;
using Sharpflow.Tests;

[assembly: Sharpflow.ArtifactJsonContext(typeof(ReadingArtifactJson))]

namespace Sharpflow.Tests;

/// <summary>An artifact type with a compile-time contract (below).</summary>
public sealed record Reading(int SensorId, double Value);

/// <summary>The contract, declared on this test assembly, which is not the process's entry assembly (the test host is).</summary>
[JsonSerializable(typeof(Reading))]
[JsonSerializable(typeof(List<Reading>))]
public sealed partial class ReadingArtifactJson : JsonSerializerContext;

/// <summary>
/// A flow library's [assembly: ArtifactJsonContext] applies wherever the library is loaded, not only as the entry
/// assembly: the generic worker that runs a step remotely, a notebook and a test host use the contracts its program uses.
/// </summary>
public class ArtifactJsonContextTests
{
    [Fact]
    public void TheContextOfTheAssemblyDefiningATypeMakesItsContract()
    {
        Assert.Same(ReadingArtifactJson.Default, DataJson.Options.GetTypeInfo(typeof(Reading)).OriginatingResolver);
        Assert.Equal(new Reading(3, 1.5), JsonSerializer.Deserialize<Reading>(JsonSerializer.Serialize(new Reading(3, 1.5), DataJson.Options), DataJson.Options));
    }

    [Fact]
    public void ACollectionOfTheTypeIsFoundThroughItsElementType() =>
        Assert.Same(ReadingArtifactJson.Default, DataJson.Options.GetTypeInfo(typeof(List<Reading>)).OriginatingResolver);

    [Fact]
    public void OtherTypesKeepTheirOwnContracts() =>
        Assert.IsNotType<ReadingArtifactJson>(DataJson.Options.GetTypeInfo(typeof(Dictionary<string, Reading>)).OriginatingResolver);
}
