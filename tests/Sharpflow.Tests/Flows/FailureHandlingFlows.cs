using Sharpflow.Metadata;

namespace Sharpflow.Tests.Flows;

/// <summary>Fails its first two attempts, succeeds on the third.</summary>
public class RetryFlow : FlowSpec
{
    public int SucceededOnAttempt = -1;

    [Step] public void Start() => Next(Flaky);

    [Step, Retry(Times = 3)]
    public void Flaky()
    {
        Console.WriteLine($"attempt {Current.RetryCount}");
        if (Current.RetryCount < 2)
        {
            throw new IOException($"transient failure {Current.RetryCount}");
        }
        SucceededOnAttempt = Current.RetryCount;
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>Fails its first attempt without declaring [Retry]: only `--with retry` saves it.</summary>
public class FlakyOnceFlow : FlowSpec
{
    [Step] public void Start() { if (Current.RetryCount == 0) { throw new IOException("first attempt fails"); } Next(End); }
    [Step] public void End() { }
}

/// <summary>Always fails; [Catch] keeps the flow going with the exception as an artifact.</summary>
public class CatchFlow : FlowSpec
{
    public ExceptionRecord? Error;
    public string Partial = "";
    public string Result = "";

    [Step] public void Start() => Next(Fragile);

    [Step, Catch(Var = nameof(Error)), Retry(Times = 1)]
    public void Fragile()
    {
        Partial = "got this far";
        Console.WriteLine($"fragile attempt {Current.RetryCount}");
        if (Partial.Length > 0)
        {
            throw new InvalidDataException("bad input row 17");
        }
        Next(End);
    }

    [Step] public void End() => Result = Error is null ? "no error" : $"caught {Error.Type}: {Error.Message}; partial={Partial}";
}

/// <summary>A step that outlives its [Timeout] on every attempt, then is caught: timeout inside retry inside catch.</summary>
public class TimeoutFlow : FlowSpec
{
    public ExceptionRecord? Timeout;
    public string Result = "";

    [Step] public void Start() => Next(Slow);

    [Step, Timeout(Seconds = 1), Retry(Times = 1), Catch(Var = nameof(Timeout))]
    public async Task Slow()
    {
        await Task.Delay(TimeSpan.FromSeconds(60), Current.CancellationToken);
        Next(End);
    }

    [Step] public void End() => Result = Timeout?.Type ?? "none";
}

/// <summary>A step that ignores its cancellation token entirely.</summary>
public class StuckFlow : FlowSpec
{
    [Step] public void Start() => Next(Stuck);
    [Step, Timeout(Seconds = 1)] public void Stuck() { Thread.Sleep(4000); Next(End); }
    [Step] public void End() { }
}

/// <summary>A long step that checkpoints its first half, fails, and on retry resumes from the checkpoint.</summary>
public class CheckpointFlow : FlowSpec
{
    public List<string> Progress = [];
    public string Restored = "";

    [Step] public void Start() => Next(Long);

    [Step, Retry(Times = 1)]
    public async Task Long()
    {
        Progress = await Current.Checkpoint.LoadLatestAsync<List<string>>() ?? [];
        var work = Path.Combine(Path.GetTempPath(), "sharpflow-ckpt-" + Current.RunId + "-" + Current.RetryCount);
        if (!Progress.Contains("first half"))
        {
            Progress.Add("first half");
            Progress.Add($"first half done by attempt {Current.RetryCount}");
            Directory.CreateDirectory(Path.Combine(work, "weights"));
            File.WriteAllText(Path.Combine(work, "weights", "layer1.txt"), "trained weights");
            await Current.Checkpoint.SaveFilesAsync(work, "model");
            await Current.Checkpoint.SaveAsync(Progress);
        }
        if (Current.RetryCount == 0)
        {
            throw new InvalidOperationException("crash half-way");
        }
        if (await Current.Checkpoint.LoadLatestFilesAsync(work, "model"))
        {
            Restored = File.ReadAllText(Path.Combine(work, "weights", "layer1.txt"));
        }
        Progress.Add($"second half done by attempt {Current.RetryCount}");
        Directory.Delete(work, true);
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>[Catch] into the natural `Exception?` member: the next step sees the original type, message and stack.</summary>
public class CatchIntoExceptionFlow : FlowSpec
{
    public Exception? Error;
    public string Seen = "";

    [Step] public void Start() => Next(Fragile);

    [Step, Catch(Var = nameof(Error))]
    public void Fragile()
    {
        if (Seen.Length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Seen), "row 17 is out of range");
        }
        Next(End);
    }

    [Step] public void End() => Seen = $"{(Error as CaughtException)?.OriginalType}|{Error?.Message}|{Error?.StackTrace?.Contains(nameof(Fragile), StringComparison.Ordinal)}";
}

/// <summary>A mistake Sharpflow itself reports from inside the user's step: Input() outside a foreach.</summary>
public class InputOutsideForeachFlow : FlowSpec
{
    public int Value;

    [Step] public void Start() { Console.WriteLine("reading my input"); Value = Input<int>(); Next(End); }

    [Step] public void End() { }
}
