using System.Runtime.InteropServices;

namespace Sharpflow.Execution;

/// <summary>
/// Sets a step's <see cref="EnvironmentAttribute"/> variables where its code runs. In a process that runs this one task
/// (a worker), they are set for the whole process, in .NET's environment and in the C library's (which native code
/// reads: .NET on Unix keeps its own copy). In a process shared with other tasks, they are set in .NET's environment
/// while the step runs, one such step at a time, and the earlier values are put back afterwards.
/// </summary>
internal static partial class StepEnvironment
{
    private static readonly SemaphoreSlim Shared = new(1, 1);

    /// <summary>Applies the variables for one attempt; dispose the result when the attempt ends.</summary>
    public static async Task<IAsyncDisposable> ApplyAsync(IReadOnlyDictionary<string, string> variables, bool ownsProcess, CancellationToken cancellationToken)
    {
        if (variables.Count == 0)
        {
            return Nothing.Instance;
        }
        if (ownsProcess)
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
                if (!OperatingSystem.IsWindows() && SetNative(name, value, 1) != 0)
                {
                    throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
                }
            }
            return Nothing.Instance;
        }
        await Shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        var earlier = variables.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        return new Restore(earlier);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetNative(string name, string value, int overwrite);

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Restore(IReadOnlyDictionary<string, string?> earlier) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            foreach (var (name, value) in earlier)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
            Shared.Release();
            return ValueTask.CompletedTask;
        }
    }
}
