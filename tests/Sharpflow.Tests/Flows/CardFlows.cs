using Microsoft.Data.Analysis;
using Sharpflow.Cards;

namespace Sharpflow.Tests.Flows;

/// <summary>Artifacts and user strings that try to inject script into a card.</summary>
public class HostileCardFlow : FlowSpec
{
    public string Name = "";
    public List<string> Notes = [];

    [Step, Card]
    public void Start()
    {
        Name = "<script>document.body.setAttribute('data-pwned','artifact')</script>";
        Notes = ["<img src=x onerror=\"document.body.setAttribute('data-pwned','table')\">"];
        Console.WriteLine("<script>document.body.setAttribute('data-pwned','log')</script>");
        Current.Card.Append(new Markdown("# Report {onmouseover=alert(1)}\n<script>document.body.setAttribute('data-pwned','markdown')</script>\n\n[click](javascript:alert(1)) <javascript:alert(2)>\n\n| a | b |\n|---|---|\n| 1 | 2 |"));
        Current.Card.Append(Table.From(new[] { new { Label = "</td><script>document.body.setAttribute('data-pwned','cell')</script>", Value = 1 } }));
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>Several cards on one step, a blank card, a DataFrame table and an image.</summary>
public class ManyCardsFlow : FlowSpec
{
    public int Count;

    [Step, Card(Id = "summary"), Card(Type = "blank", Id = "plots")]
    public void Start()
    {
        Count = 3;
        var frame = new DataFrame(new Int32DataFrameColumn("epoch", [1, 2, 3]), new DoubleDataFrameColumn("loss", [0.9, 0.5, 0.25]));
        Current.Card["summary"].Append(new Markdown("Summary card"));
        Current.Card["plots"].Append(Table.From(frame));
        Current.Card["plots"].Append(Image.FromSvg("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><script>alert(1)</script><rect width='10' height='10'/></svg>", "a square"));
        Current.Card["plots"].Append(new ProgressBar(3, 4, "epochs"));
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>A card rendered while its step still runs, and a card of a failed task.</summary>
public class LiveCardFlow : FlowSpec
{
    public static readonly SemaphoreSlim Proceed = new(0);

    [Parameter] public bool Fail { get; set; }

    public int Done;

    [Step, Card]
    public async Task Start()
    {
        Done = 1;
        Current.Card.Append(new ProgressBar(1, 2, "halfway"));
        Current.Card.Refresh();
        if (Fail)
        {
            throw new InvalidOperationException("the <b>model</b> diverged");
        }
        await Proceed.WaitAsync(TimeSpan.FromSeconds(30));
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>A carded step whose first attempt fails, retried once.</summary>
public class RetriedCardFlow : FlowSpec
{
    [Step, Card, Retry(Times = 1)]
    public void Start()
    {
        if (Current.RetryCount == 0)
        {
            throw new InvalidOperationException("the first attempt fails");
        }
        Next(End);
    }

    [Step] public void End() { }
}
