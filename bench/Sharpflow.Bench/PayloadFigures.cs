using System.Diagnostics;
using System.Runtime.InteropServices;
using Sharpflow.Artifacts;
using Sharpflow.Datastore;
using static BenchFigures;

/// <summary>
/// A large artifact (random byte[] or float[], 100 MB, or 2.16 GB: more than one .NET buffer, stored in chunks) saved
/// and loaded through the artifact store, against a raw file write + read of the same bytes in the same run.
/// </summary>
internal static class PayloadFigures
{
    private const long Hundred = 100 << 20;

    /// <summary>Over int.MaxValue bytes: the artifact is stored as chunks.</summary>
    public const long OverTwoGigabytes = 2_160_000_000;

    public static Task ReportAsync(string root, int repetitions, bool bytes, long size = Hundred)
    {
        var label = size == Hundred ? "100 MB" : $"{size / 1e9:F2} GB";
        if (bytes)
        {
            var data = new byte[size];
            new Random(1).NextBytes(data);
            return ReportAsync(root, $"{label} byte[]", data, repetitions);
        }
        var floats = new float[size / sizeof(float)];
        var random = new Random(2);
        for (var i = 0L; i < floats.LongLength; i++)
        {
            floats[i] = random.NextSingle();
        }
        return ReportAsync(root, $"{label} float[]", floats, repetitions);
    }

    private static async Task ReportAsync<T>(string root, string kind, T[] value, int repetitions)
        where T : unmanaged
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
        Console.WriteLine($"{$"{kind}: raw file write+read",-58} {Median(rawTimes),9:F1} ms");
        Report($"{kind}: artifact save+load (hash, codec, verify)", Median(artifactTimes), Median(rawTimes) * 2, "ms");
        Console.WriteLine($"{$"  ratio artifact / raw file (target < 2.0)",-58} {Median(artifactTimes) / Median(rawTimes),12:F2}");

        double TimeRaw(int i)
        {
            var file = Path.Combine(root, $"raw{i}.bin");
            var clock = Stopwatch.StartNew();
            WriteRaw(file, value);
            var back = ReadRaw<T>(file, value.LongLength);
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
            var loaded = await reader.LoadValueAsync("Start", "Payload", index.Artifacts["Payload"], typeof(T[]));
            clock.Stop();
            if (loaded is not T[] array || array.LongLength != value.LongLength)
            {
                throw new InvalidOperationException($"the {kind} artifact did not round-trip");
            }
            Directory.Delete(storeRoot, true);
            return clock.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>Writes the array's bytes to a file in slices (an array may hold more than one span can address).</summary>
    private static void WriteRaw<T>(string file, T[] value)
        where T : unmanaged
    {
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var (start, count) in Slices<T>(value.LongLength))
        {
            stream.Write(MemoryMarshal.AsBytes(value.AsSpan((int)start, count)));
        }
    }

    /// <summary>Reads a file's bytes into a new array in slices.</summary>
    private static T[] ReadRaw<T>(string file, long length)
        where T : unmanaged
    {
        var array = new T[length];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        foreach (var (start, count) in Slices<T>(length))
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan((int)start, count)));
        }
        return array;
    }

    private static IEnumerable<(long Start, int Count)> Slices<T>(long length)
        where T : unmanaged
    {
        var perSlice = (1 << 30) / Marshal.SizeOf<T>();
        for (var start = 0L; start < length; start += perSlice)
        {
            yield return (start, (int)Math.Min(perSlice, length - start));
        }
    }
}
