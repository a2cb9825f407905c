using System.Collections.Concurrent;
using Sharpflow.Client;

namespace Sharpflow.Tests.Flows;

/// <summary>Exit hooks that record what they saw; one of them always throws.</summary>
public class HookFlow : FlowSpec
{
    public static readonly ConcurrentQueue<string> Calls = new();

    [Parameter] public bool Fail { get; set; }

    public string Result = "";

    [Step] public void Start() { if (Fail) { throw new InvalidOperationException("asked to fail"); } Result = "ok"; Next(End); }
    [Step] public void End() { }

    [OnSuccess]
    public static void Celebrate(Run run) => Calls.Enqueue($"success {run.Id} {run.Data["Result"].Get<string>()}");

    [OnFailure]
    public static async Task Page(Run run)
    {
        await Task.Yield();
        Calls.Enqueue($"failure {run.Id} {run.Status}");
    }

    [OnSuccess, OnFailure]
    public static void Broken(Run run) => throw new HttpRequestException("notification service unreachable");
}
