using Sharpflow.Datastore;
using Sharpflow.Graph;

namespace Sharpflow.Tests;

public class GraphExtractionTests
{
    public class AsyncVoidFlow : FlowSpec
    {
        [Step] public async void Start() { await Task.Yield(); Next(End); }
        [Step] public void End() { }
    }

    public class ConditionalTargetFlow : FlowSpec
    {
        public bool Fast;

        [Step] public void Start() => Next(Fast ? A : B);
        [Step] public void A() => Next(End);
        [Step] public void B() => Next(End);
        [Step] public void End() { }
    }

    public abstract class BaseWithSteps : FlowSpec
    {
        public string Trail = "";

        [Step] public void Start() { Trail = "base"; Next(Middle); }
        [Step] public virtual void Middle() => Next(End);
        [Step] public void End() { }
    }

    public class DerivedFlow : BaseWithSteps
    {
        public override void Middle() { Trail += ">derived"; Next(End); }
    }

    [Fact]
    public void AsyncVoidStepsAreRefused()
    {
        var diagnostics = GraphValidator.Validate(FlowGraphExtractor.Extract(typeof(AsyncVoidFlow)));
        Assert.Contains(diagnostics, d => d.Rule == GraphRules.InvalidStepSignature && d.Message.Contains("async void", StringComparison.Ordinal));
    }

    [Fact]
    public void ANextTargetChosenByAConditionIsRefused()
    {
        var diagnostics = GraphValidator.Validate(FlowGraphExtractor.Extract(typeof(ConditionalTargetFlow)));
        Assert.Contains(diagnostics, d => d.Rule == GraphRules.NonConstantTransition && d.Step == "Start");
    }

    [Fact]
    public async Task StepsInheritedFromABaseClassAndOverriddenRunTheOverride()
    {
        var graph = FlowGraphExtractor.Extract(typeof(DerivedFlow));
        Assert.Equal(["Start", "Middle", "End"], graph.Steps.Select(s => s.Name));
        Assert.Empty(GraphValidator.Validate(graph));

        using var store = new TempDatastore();
        var run = await store.RunAsync<DerivedFlow>();
        Assert.Equal("base>derived", run.Data["Trail"].Get<string>());
    }

    [Fact]
    public async Task ABlobWhoseHeaderLiesAboutItsLengthIsRefusedBeforeAllocating()
    {
        using var store = new TempDatastore();
        var cas = new ContentAddressedStore(new LocalBlobStore(store.Root), "F");
        var blob = (await cas.SaveBlobsAsync([System.Text.Encoding.UTF8.GetBytes(new string('x', 100_000))]))[0];
        var file = Directory.GetFiles(store.Root, blob.Hash, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        BitConverter.GetBytes(long.MaxValue / 2).CopyTo(bytes, 5);
        File.WriteAllBytes(file, bytes);

        var error = await Assert.ThrowsAsync<BlobIntegrityException>(() => new ContentAddressedStore(new LocalBlobStore(store.Root), "F").LoadBlobsAsync([blob.Hash]));
        Assert.Contains("header claims", error.Message);
    }
}
