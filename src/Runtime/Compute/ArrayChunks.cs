namespace Sharpflow.Compute;

/// <summary>
/// Splits an array launch (<see cref="IArrayComputeBackend.LaunchArrayAsync"/>) that is larger than one array job may be
/// into consecutive chunks, and runs them at the same time.
/// </summary>
public static class ArrayChunks
{
    /// <summary>
    /// Runs <paramref name="runChunk"/> (first element, element count) for each chunk of at most <paramref name="size"/>
    /// of the <paramref name="count"/> elements; completes when every chunk has.
    /// </summary>
    public static Task RunAsync(int count, int size, Func<int, int, Task> runChunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentNullException.ThrowIfNull(runChunk);
        return Task.WhenAll(Enumerable.Range(0, (count + size - 1) / size).Select(c => runChunk(c * size, Math.Min(size, count - (c * size)))));
    }
}
