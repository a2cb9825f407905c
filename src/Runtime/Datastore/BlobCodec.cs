using System.Buffers.Binary;
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
        ReadOnlyMemory<byte> raw;
        if (codec == CodecNone)
        {
            raw = stored.AsMemory(HeaderSize);
        }
        else
        {
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
        var target = destination(length);
        if (codec == CodecNone)
        {
            if (stored.ReadAtLeast(target.Span, target.Length, throwOnEndOfStream: false) < target.Length || stored.ReadByte() != -1)
            {
                throw new BlobIntegrityException(location, $"its payload is not {length} bytes long");
            }
        }
        else
        {
            using var compressed = new MemoryStream();
            stored.CopyTo(compressed);
            Decompress(compressed.GetBuffer().AsSpan(0, (int)compressed.Length), target.Span, location);
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
