namespace Sharpflow.TestFlows;

/// <summary>A step that asks for more memory than the process may have (run it under DOTNET_GCHeapHardLimit).</summary>
public class HungryFlow : FlowSpec
{
    [Parameter(Help = "How many MB the step allocates")] public int AllocateMb { get; set; } = 512;

    public long Checksum;

    [Step]
    public void Start()
    {
        Console.WriteLine($"allocating {AllocateMb} MB");
        var block = new byte[(long)AllocateMb << 20];
        Array.Fill(block, (byte)1);
        Checksum = block.Length;
        Next(End);
    }

    [Step] public void End() { }
}
