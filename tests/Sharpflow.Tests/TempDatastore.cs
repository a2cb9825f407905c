using Sharpflow.Client;
using Sharpflow.Execution;

namespace Sharpflow.Tests;

/// <summary>A datastore in a fresh temporary folder, deleted afterwards.</summary>
public sealed class TempDatastore : IDisposable
{
    public TempDatastore()
    {
        Root = Path.Combine(Path.GetTempPath(), "sharpflow-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public RunnerOptions Options(Action<Events.RunEvent>? onEvent = null) => new() { DatastoreRoot = Root, OnEvent = onEvent, MaxWorkers = 4 };

    public ClientOptions Client => new() { DatastoreRoot = Root };

    public Task<Run> RunAsync<TFlow>(IReadOnlyDictionary<string, object?>? parameters = null, RunnerOptions? options = null) where TFlow : FlowSpec =>
        new Runner<TFlow>(options ?? Options()).RunAsync(parameters);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file for a moment; the temp folder is cleaned by the OS
        }
    }
}
