using Sharpflow.Events;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class ExitHookTests
{
    [Fact]
    public async Task HooksRunAfterTheRunAndAFailingHookNeverChangesItsStatus()
    {
        using var store = new TempDatastore();
        var events = new List<RunEvent>();
        var ok = await store.RunAsync<HookFlow>(options: store.Options(e => { lock (events) { events.Add(e); } }));
        var failed = await store.RunAsync<HookFlow>(new Dictionary<string, object?> { ["fail"] = true });

        Assert.Equal(RunStatus.Succeeded, ok.Status);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains($"success {ok.Id} ok", HookFlow.Calls);
        Assert.Contains($"failure {failed.Id} Failed", HookFlow.Calls);
        Assert.DoesNotContain(HookFlow.Calls, c => c.StartsWith($"failure {ok.Id}", StringComparison.Ordinal));

        Assert.Equal(["Celebrate", "Broken"], ok.Record.Hooks.Select(h => h.Name));
        var broken = ok.Record.Hooks.Single(h => h.Name == "Broken");
        Assert.False(broken.Succeeded);
        Assert.Equal("notification service unreachable", broken.Exception!.Message);
        Assert.Contains(events, e => e is HookFinished { Hook: "Broken", Exception: not null });
        Assert.IsType<RunFinished>(events[^1]);
    }
}
