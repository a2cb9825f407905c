namespace Sharpflow.TestFlows;

/// <summary>Counts the lines of an included text file and the bytes of an included binary one, in Start and again in End.</summary>
public class IncludeFileFlow : FlowSpec
{
    [IncludeFile(Default = "rows.csv", Help = "Rows to count, one per line")]
    public string Rows { get; set; } = "";

    [IncludeFile(Help = "Any file, included as bytes")]
    public byte[]? Blob { get; set; }

    public int Lines;

    public int BlobLength;

    public int LinesInEnd;

    [Step]
    public void Start()
    {
        Lines = Rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        BlobLength = Blob?.Length ?? -1;
        Next(End);
    }

    [Step]
    public void End() => LinesInEnd = Rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
