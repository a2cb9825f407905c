using System.Diagnostics;
using System.Runtime.InteropServices;
using Sharpflow.Artifacts;
using Sharpflow.Datastore;
using static BenchFigures;

/// <summary>A 100 MB artifact (random byte[] or float[]) saved and loaded through the artifact store, against a raw file write + read of the same bytes.</summary>
internal static class PayloadFigures
{
    private const int Size = 100 << 20;

    public static Task ReportAsync(string root, int repetitions, bool bytes)
    {
        if (bytes)
        {
            var data = new byte[Size];
            new Random(1).NextBytes(data);
            return ReportAsync(root, "byte[]", data, data, repetitions);
        }
        var floats = new float[Size / sizeof(float)];
        var random = new Random(2);
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = random.NextSingle();
        }
        return ReportAsync(root, "float[]", floats, MemoryMarshal.AsBytes(floats.AsSpan()).ToArray(), repetitions);
    }

    private static async Task ReportAsync<T>(string root, string kind, T value, byte[] raw, int repetitions)
        where T : class
    {
        var codec = new ArtifactCodec(new SerializerRegistry());
        var rawTimes = new List<double>();
        var artifactTimes = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            // Alternate which goes first so both see the same page-cache and write-back conditions.
            if (i % 2 == 0)
            {
                rawTimes.Add(TimeRaw(i));
                artifactTimes.Add(await TimeArtifactAsync(i));
            }
            else
            {
                artifactTimes.Add(await TimeArtifactAsync(i));
                rawTimes.Add(TimeRaw(i));
            }
        }
        Console.WriteLine($"{$"100 MB {kind}: raw file write+read",-58} {Median(rawTimes),9:F1} ms");
        Report($"100 MB {kind}: artifact save+load (hash, codec, verify)", Median(artifactTimes), Median(rawTimes) * 2, "ms");
        Console.WriteLine($"{$"  ratio artifact / raw file (target < 2.0)",-58} {Median(artifactTimes) / Median(rawTimes),12:F2}");

        double TimeRaw(int i)
        {
            var file = Path.Combine(root, $"raw{i}.bin");
            var clock = Stopwatch.StartNew();
            File.WriteAllBytes(file, raw);
            var back = File.ReadAllBytes(file);
            clock.Stop();
            GC.KeepAlive(back);
            File.Delete(file);
            return clock.Elapsed.TotalMilliseconds;
        }

        async Task<double> TimeArtifactAsync(int i)
        {
            var storeRoot = Path.Combine(root, $"payload{i}");
            var clock = Stopwatch.StartNew();
            var writer = new ArtifactStore(new ContentAddressedStore(new LocalBlobStore(storeRoot), "Bench"), codec, "Bench");
            var index = await writer.SaveAsync([("Payload", codec.Encode("Bench", "Start", "Payload", value))]);
            var reader = new ArtifactStore(new ContentAddressedStore(new LocalBlobStore(storeRoot), "Bench"), codec, "Bench");
            var loaded = await reader.LoadValueAsync("Start", "Payload", index.Artifacts["Payload"], typeof(T));
            clock.Stop();
            if (loaded is not T)
            {
                throw new InvalidOperationException($"the {kind} artifact did not round-trip");
            }
            Directory.Delete(storeRoot, true);
            return clock.Elapsed.TotalMilliseconds;
        }
    }
}
