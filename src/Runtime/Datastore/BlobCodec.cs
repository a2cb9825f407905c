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
    private const int HeaderSize = 13;
    private const byte CodecNone = 0;
    private const byte CodecZstd = 1;
    private const int SmallBlob = 64;
    private const int SampleSize = 64 * 1024;
    private static ReadOnlySpan<byte> Magic => "SFB1"u8;

    public static string Hash(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(XxHash128.Hash(raw));

    public static byte[] Encode(ReadOnlySpan<byte> raw)
    {
        if (raw.Length >= SmallBlob && WorthCompressing(raw))
        {
            using var compressor = new Compressor(1);
            var bound = Compressor.GetCompressBound(raw.Length);
            var buffer = new byte[HeaderSize + bound];
            var written = compressor.Wrap(raw, buffer.AsSpan(HeaderSize));
            if (written < raw.Length)
            {
                WriteHeader(buffer, CodecZstd, raw.Length);
                return buffer.AsSpan(0, HeaderSize + written).ToArray();
            }
        }
        var stored = new byte[HeaderSize + raw.Length];
        WriteHeader(stored, CodecNone, raw.Length);
        raw.CopyTo(stored.AsSpan(HeaderSize));
        return stored;
    }

    /// <summary>Decodes a stored blob and checks that its content hash is <paramref name="expectedHash"/>.</summary>
    public static byte[] Decode(byte[] stored, string expectedHash, string location)
    {
        if (stored.Length < HeaderSize || !stored.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new BlobIntegrityException(location, "it is not a Sharpflow blob (bad header)");
        }
        var codec = stored[4];
        var length = BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(5));
        byte[] raw;
        if (codec == CodecNone)
        {
            raw = stored.AsSpan(HeaderSize).ToArray();
        }
        else if (codec == CodecZstd)
        {
            raw = new byte[length];
            using var decompressor = new Decompressor();
            try
            {
                var written = decompressor.Unwrap(stored.AsSpan(HeaderSize), raw);
                if (written != length)
                {
                    throw new BlobIntegrityException(location, $"it decompresses to {written} bytes, not {length}");
                }
            }
            catch (ZstdException e)
            {
                throw new BlobIntegrityException(location, $"it does not decompress ({e.Message})");
            }
        }
        else
        {
            throw new BlobIntegrityException(location, $"it uses unknown codec {codec}");
        }
        if (raw.LongLength != length || Hash(raw) != expectedHash)
        {
            throw new BlobIntegrityException(location, "its content does not match its hash");
        }
        return raw;
    }

    private static bool WorthCompressing(ReadOnlySpan<byte> raw)
    {
        if (raw.Length <= 4 * SampleSize)
        {
            return true;
        }
        var sample = raw.Slice((raw.Length / 2) - (SampleSize / 2), SampleSize);
        using var compressor = new Compressor(1);
        return compressor.Wrap(sample).Length < SampleSize * 0.9;
    }

    private static void WriteHeader(Span<byte> buffer, byte codec, long length)
    {
        Magic.CopyTo(buffer);
        buffer[4] = codec;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[5..], length);
    }
}
