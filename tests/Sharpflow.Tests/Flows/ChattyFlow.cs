namespace Sharpflow.Tests.Flows;

/// <summary>Parallel tasks that interleave their console output.</summary>
public class ChattyFlow : FlowSpec
{
    public List<int> Workers = [];

    [Step] public void Start() { Workers = Enumerable.Range(0, 8).ToList(); Next(Talk, forEach: nameof(Workers)); }

    [Step]
    public async Task Talk()
    {
        var me = Input<int>();
        for (var line = 0; line < 40; line++)
        {
            Console.WriteLine($"worker {me} line {line}");
            if (line % 10 == 0)
            {
                Console.Error.WriteLine($"worker {me} warning {line}");
            }
            await Task.Yield();
        }
        Next(Join);
    }

    [Step] public void Join(Inputs<ChattyFlow> inputs) => Next(End);
    [Step] public void End() { }
}
