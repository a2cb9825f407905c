#:project ../../src/Runtime/Sharpflow.Runtime.csproj

// A flow as a file-based app: `dotnet run wordcount.cs -- run --text "to be or not to be"`.
using Sharpflow;

return await FlowMain.RunAsync<WordCountFlow>(args);

/// <summary>Counts words in parallel, one task per distinct word, and reports the most frequent.</summary>
public class WordCountFlow : FlowSpec
{
    [Parameter(Help = "The text to count")] public string Text { get; set; } = "the quick brown fox jumps over the lazy dog the end";

    public List<string> Words = [];
    public string Word = "";
    public int Count;
    public string Top = "";

    [Step]
    public void Start()
    {
        Words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        Next(CountWord, forEach: nameof(Words));
    }

    [Step]
    public void CountWord()
    {
        Word = Input<string>();
        Count = Text.Split(' ').Count(w => w == Word);
        Next(Join);
    }

    [Step]
    public void Join(Inputs<WordCountFlow> inputs)
    {
        var best = inputs.OrderByDescending(i => i.Count).ThenBy(i => i.Word, StringComparer.Ordinal).First();
        Top = $"{best.Word}={best.Count}";
        Next(End);
    }

    [Step]
    public void End() => Console.WriteLine($"Most frequent: {Top}");
}
