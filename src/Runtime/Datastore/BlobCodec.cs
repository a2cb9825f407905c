using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using ZstdSharp;

namespace Sharpflow.Datastore;

/// <summary>
/// The stored form of a content-addressed blob: a 13-byte header (magic <c>SFB1</c>, codec, raw length) followed by
/// the payload, zstd-compressed unless compression would not pay. The content hash is XXH128 of the raw bytes.
/// </summary>
internal static class BlobCodec
{
    public const int HeaderSize = 13;
    private const byte CodecNone = 0;
    private const byte CodecZstd = 1;
    private const int SmallBlob = 64;
    private const int SampleSize = 64 * 1024;
    private const int LargeBlob = 16 << 20;
    private static ReadOnlySpan<byte> Magic => "SFB1"u8;

    public static string Hash(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(XxHash128.Hash(raw));

    /// <summary>
    /// The content hash of a value stored as consecutive chunks: the hash of <c>chunks:</c> and its chunks' hashes in
    /// order. It cannot equal a single blob's hash of the same bytes, and need not: a value is chunked by its size alone.
    /// </summary>
    public static string HashOfChunks(IReadOnlyList<string> chunkHashes) =>
        Hash(System.Text.Encoding.ASCII.GetBytes("chunks:" + string.Join(',', chunkHashes)));

    /// <summary>The header and payload to store for <paramref name="raw"/> (the payload is <paramref name="raw"/> itself when stored uncompressed).</summary>
    public static (byte[] Header, ReadOnlyMemory<byte> Payload) Encode(ReadOnlyMemory<byte> raw)
    {
        var header = new byte[HeaderSize];
        if (raw.Length >= SmallBlob && WorthCompressing(raw.Span))
        {
            using var compressor = new Compressor(1);
            var compressed = compressor.Wrap(raw.Span);
            if (compressed.Length < raw.Length)
            {
                WriteHeader(header, CodecZstd, raw.Length);
                return (header, compressed.ToArray());
            }
        }
        WriteHeader(header, CodecNone, raw.Length);
        return (header, raw);
    }

    /// <summary>Decodes a stored blob held in memory and checks that its content hash is <paramref name="expectedHash"/>.</summary>
    public static ReadOnlyMemory<byte> Decode(byte[] stored, string expectedHash, string location)
    {
        var (codec, length) = ReadHeader(stored, location);
        CheckLength(codec, length, stored.Length - HeaderSize, location);
        ReadOnlyMemory<byte> raw;
        if (codec == CodecNone)
        {
            raw = stored.AsMemory(HeaderSize);
        }
        else
        {
            CheckFrameSize(stored.AsSpan(HeaderSize), length, location);
            var buffer = new byte[length];
            Decompress(stored.AsSpan(HeaderSize), buffer, location);
            raw = buffer;
        }
        Verify(raw.Span, length, expectedHash, location);
        return raw;
    }

    /// <summary>
    /// Decodes a stored blob from a stream straight into the memory <paramref name="destination"/> returns for the raw
    /// length, so a large array is read without intermediate copies; checks the content hash.
    /// </summary>
    public static void DecodeInto(Stream stored, string expectedHash, string location, Func<long, Memory<byte>> destination)
    {
        var header = new byte[HeaderSize];
        if (stored.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
        {
            throw new BlobIntegrityException(location, "it is truncated (no header)");
        }
        var (codec, length) = ReadHeader(header, location);
        CheckLength(codec, length, stored.CanSeek ? stored.Length - HeaderSize : null, location);
        Memory<byte> target;
        if (codec == CodecNone)
        {
            target = destination(length);
            if (stored.ReadAtLeast(target.Span, target.Length, throwOnEndOfStream: false) < target.Length || stored.ReadByte() != -1)
            {
                throw new BlobIntegrityException(location, $"its payload is not {length} bytes long");
            }
        }
        else
        {
            using var compressed = new MemoryStream();
            stored.CopyTo(compressed);
            var frame = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
            CheckFrameSize(frame, length, location);
            target = destination(length);
            Decompress(frame, target.Span, location);
        }
        Verify(target.Span, length, expectedHash, location);
    }

    private static (byte Codec, long Length) ReadHeader(ReadOnlySpan<byte> stored, string location)
    {
        if (stored.Length < HeaderSize || !stored[..4].SequenceEqual(Magic))
        {
            throw new BlobIntegrityException(location, "it is not a Sharpflow blob (bad header)");
        }
        var codec = stored[4];
        if (codec is not CodecNone and not CodecZstd)
        {
            throw new BlobIntegrityException(location, $"it uses unknown codec {codec}");
        }
        return (codec, BinaryPrimitives.ReadInt64LittleEndian(stored[5..]));
    }

    /// <summary>Refuses a header whose length cannot be right, before anything is allocated for it.</summary>
    private static void CheckLength(byte codec, long length, long? payload, string location)
    {
        var plausible = length >= 0 && length <= Array.MaxLength
            && (payload is not { } stored || (codec == CodecNone ? length == stored : stored <= Compressor.GetCompressBound((int)Math.Min(length, int.MaxValue / 2))));
        if (!plausible)
        {
            throw new BlobIntegrityException(location, $"its header claims {length} bytes, which its {payload?.ToString(CultureInfo.InvariantCulture) ?? "?"}-byte payload cannot hold");
        }
    }

    /// <summary>The zstd frame records its content size: it must agree with the header before memory is allocated.</summary>
    private static void CheckFrameSize(ReadOnlySpan<byte> frame, long length, string location)
    {
        ulong size;
        try
        {
            size = Decompressor.GetDecompressedSize(frame);
        }
        catch (ZstdException e)
        {
            throw new BlobIntegrityException(location, $"its compressed frame is damaged ({e.Message})");
        }
        if (size != (ulong)length)
        {
            throw new BlobIntegrityException(location, $"its header claims {length} bytes but its compressed frame holds {size}");
        }
    }

    private static void Decompress(ReadOnlySpan<byte> compressed, Span<byte> target, string location)
    {
        using var decompressor = new Decompressor();
        try
        {
            var written = decompressor.Unwrap(compressed, target);
            if (written != target.Length)
            {
                throw new BlobIntegrityException(location, $"it decompresses to {written} bytes, not {target.Length}");
            }
        }
        catch (ZstdException e)
        {
            throw new BlobIntegrityException(location, $"it does not decompress ({e.Message})");
        }
    }

    private static void Verify(ReadOnlySpan<byte> raw, long length, string expectedHash, string location)
    {
        if (raw.Length != length || Hash(raw) != expectedHash)
        {
            throw new BlobIntegrityException(location, "its content does not match its hash");
        }
    }

    private static bool WorthCompressing(ReadOnlySpan<byte> raw)
    {
        if (raw.Length <= 4 * SampleSize)
        {
            return true;
        }
        var sample = raw.Slice((raw.Length / 2) - (SampleSize / 2), SampleSize);
        using var compressor = new Compressor(1);
        // Compression must pay for its time: large blobs (model weights, arrays) are compressed only when they shrink a lot.
        var wanted = raw.Length > LargeBlob ? 0.6 : 0.9;
        return compressor.Wrap(sample).Length < SampleSize * wanted;
    }

    private static void WriteHeader(Span<byte> buffer, byte codec, long length)
    {
        Magic.CopyTo(buffer);
        buffer[4] = codec;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[5..], length);
    }
}
