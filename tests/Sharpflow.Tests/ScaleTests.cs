using System.Globalization;

namespace Sharpflow.Tests;

/// <summary>
/// What a foreach costs grows linearly with its width: a body task does not decode or re-store the list it inherited,
/// and a join holds only what it reads of each input. Measured in a child process (its own heap, nothing else running
/// in it) as the bytes the run allocated after a warm-up run, which does not depend on timing and is what catches a
/// quadratic cost (about 6x and more for 4x the width), and its peak working set, which the runtime's fixed memory
/// dominates at these widths and so only catches a gross blow-up.
/// </summary>
public class ScaleTests
{
    [Fact]
    public async Task AForeachFourTimesAsWideCostsAtMostFourAndAHalfTimesAsMuch()
    {
        using var store = new TempDatastore();
        var (narrowBytes, narrowPeak) = await MeasureAsync(store.Root, 300);
        var (wideBytes, widePeak) = await MeasureAsync(store.Root, 1200);

        // Quadratic costs (every task re-encoding the whole list, a join keeping every input's artifacts) give about 16x.
        Assert.True(wideBytes <= 4.5 * narrowBytes, $"the 1,200-way run allocated {wideBytes / 1e6:F1} MB, the 300-way run {narrowBytes / 1e6:F1} MB: {(double)wideBytes / narrowBytes:F2}x");
        Assert.True(widePeak <= 4.5 * narrowPeak, $"peak working set {widePeak / 1e6:F1} MB at 1,200-way, {narrowPeak / 1e6:F1} MB at 300-way");
    }

    private static async Task<(long Allocated, long Peak)> MeasureAsync(string root, int width)
    {
        var result = await ChildProcess.DotnetAsync(root, null, ChildProcess.TestFlowsDll, "measure-foreach", Path.Combine(root, $"wide{width}"), width.ToString(CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var figures = result.Stdout.Trim().Split('\n')[^1].Split(' ');
        return (long.Parse(figures[0], CultureInfo.InvariantCulture), long.Parse(figures[1], CultureInfo.InvariantCulture));
    }
}
