#:package Sharpflow@0.0.0-sharpflow-version
// A flow in one file: `dotnet run myflow.cs -- run`, then `dotnet run myflow.cs -- dump latest/End`.
using Sharpflow;

return await FlowMain.RunAsync<WordCountFlow>(args);

/// <summary>Counts words in a few lines of text, one task per line, and adds the counts up in a join.</summary>
public class WordCountFlow : FlowSpec
{
    [Parameter(Help = "The text to count, lines separated by '|'")] public string Text { get; set; } = "the quick brown fox|jumps over|the lazy dog";

    public List<string> Lines = [];
    public int Words;
    public int Total;

    [Step]
    public void Start()
    {
        Lines = Text.Split('|').ToList();
        Next(Count, forEach: nameof(Lines));
    }

    [Step]
    public void Count()
    {
        Words = Input<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Next(Join);
    }

    [Step]
    public void Join(Inputs<WordCountFlow> inputs)
    {
        MergeArtifacts(inputs, exclude: [nameof(Words)]);   // carry on what every branch agrees on (Lines, Text)
        Total = inputs.Sum(i => i.Words);
        Next(End);
    }

    [Step]
    public void End() => Console.WriteLine($"{Total} words in {Lines.Count} lines");
}
