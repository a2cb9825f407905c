using System.Globalization;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>The fingerprints of a flow's newest runs in one namespace, newest first (reuse and <c>show --changed</c> read them).</summary>
internal static class FingerprintHistory
{
    /// <summary>How many of the newest runs are read.</summary>
    public const int Runs = 20;

    /// <summary>
    /// The newest <see cref="Runs"/> runs of <paramref name="flow"/> in <paramref name="namespace"/> that recorded
    /// fingerprints, other than <paramref name="except"/>, each with its fingerprints.
    /// </summary>
    public static async Task<IReadOnlyList<(string RunId, RunFingerprints Fingerprints)>> ReadAsync(
        MetadataStore metadata, string flow, string @namespace, string? except, CancellationToken cancellationToken)
    {
        var ids = (await metadata.ListRunIdsAsync(flow, cancellationToken).ConfigureAwait(false))
            .Where(id => id != except)
            .OrderByDescending(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MinValue)
            .ThenByDescending(id => id, StringComparer.Ordinal)
            .ToArray();
        var found = new List<(string, RunFingerprints)>();
        for (var start = 0; start < ids.Length && found.Count < Runs; start += Runs)
        {
            var batch = ids.Skip(start).Take(Runs).ToArray();
            var records = await metadata.ReadRunsAsync(flow, batch, cancellationToken).ConfigureAwait(false);
            var mine = records.Where(r => r.Record?.SystemTags.Contains(@namespace) == true).Select(r => r.RunId).ToArray();
            var fingerprints = await metadata.ReadFingerprintsAsync(flow, mine, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < mine.Length && found.Count < Runs; i++)
            {
                if (fingerprints[i] is { } recorded)
                {
                    found.Add((mine[i], recorded));
                }
            }
        }
        return found;
    }
}
