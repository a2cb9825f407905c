using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Sharpflow.Artifacts;

/// <summary>
/// The fast path: strings as UTF-8, primitives as their little-endian bytes, and one-dimensional arrays of primitives
/// as their memory, written without a copy and read back with one block copy. A string that is not well-formed UTF-16
/// (a lone surrogate), which UTF-8 cannot carry, is stored as its UTF-16 code units after a 0xFF byte (which UTF-8 never
/// starts with), so every string reads back exactly as it was.
/// </summary>
public sealed class RawBinarySerializer : IArtifactSerializer
{
    /// <summary>The primitive types stored as their bytes, each with its size and a way to make an array of it (no dynamic code).</summary>
    private static readonly Dictionary<Type, (int Size, Type ArrayType, Func<long, Array> NewArray)> Scalars = new()
    {
        [typeof(bool)] = (sizeof(bool), typeof(bool[]), n => new bool[n]),
        [typeof(byte)] = (sizeof(byte), typeof(byte[]), n => new byte[n]),
        [typeof(sbyte)] = (sizeof(sbyte), typeof(sbyte[]), n => new sbyte[n]),
        [typeof(short)] = (sizeof(short), typeof(short[]), n => new short[n]),
        [typeof(ushort)] = (sizeof(ushort), typeof(ushort[]), n => new ushort[n]),
        [typeof(int)] = (sizeof(int), typeof(int[]), n => new int[n]),
        [typeof(uint)] = (sizeof(uint), typeof(uint[]), n => new uint[n]),
        [typeof(long)] = (sizeof(long), typeof(long[]), n => new long[n]),
        [typeof(ulong)] = (sizeof(ulong), typeof(ulong[]), n => new ulong[n]),
        [typeof(float)] = (sizeof(float), typeof(float[]), n => new float[n]),
        [typeof(double)] = (sizeof(double), typeof(double[]), n => new double[n]),
        [typeof(char)] = (sizeof(char), typeof(char[]), n => new char[n]),
    };

    private const byte Utf16Marker = 0xFF;

    /// <summary>
    /// The most bytes of an array stored as one blob; a larger array is stored as chunks of this size (a whole number of
    /// values of every primitive type), each a slice of the array's memory.
    /// </summary>
    internal const int ChunkBytes = 1 << 30;

    private static int ElementSize(Type elementType) => Scalars[elementType].Size;

    private static Array NewArray(Type elementType, long length) => Scalars[elementType].NewArray(length);

    /// <summary>The array type of a primitive stored as its bytes (<c>float</c> → <c>float[]</c>), or null for any other type.</summary>
    internal static Type? ArrayTypeOf(Type elementType) => Scalars.TryGetValue(elementType, out var scalar) ? scalar.ArrayType : null;

    /// <inheritdoc />
    public string Id => "raw";

    /// <inheritdoc />
    public bool CanSerialize(Type type) =>
        type == typeof(string) || Scalars.ContainsKey(type) || (type.IsSZArray && Scalars.ContainsKey(type.GetElementType()!));

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Serialize(object value, Type type)
    {
        switch (value)
        {
            case string s:
                return WellFormedText.IsWellFormed(s) ? Encoding.UTF8.GetBytes(s) : [Utf16Marker, .. MemoryMarshal.AsBytes(s.AsSpan())];
            case Array array:
                var bytes = ByteLength(array);
                return bytes > ChunkBytes
                    ? throw new ArgumentException($"it is {bytes:N0} bytes, over the {ChunkBytes:N0} bytes of one blob: it is saved in chunks ({nameof(ChunksOf)}).")
                    : new ArrayBytes(array, 0, (int)bytes).Memory;
            default:
                var single = NewArray(type, 1);
                single.SetValue(value, 0);
                return new ArrayBytes(single, 0, ElementSize(type)).Memory.ToArray();
        }
    }

    /// <inheritdoc />
    public object? Deserialize(ReadOnlyMemory<byte> data, Type type)
    {
        if (type == typeof(string))
        {
            return data.Length > 0 && data.Span[0] == Utf16Marker
                ? new string(MemoryMarshal.Cast<byte, char>(data.Span[1..]))
                : Encoding.UTF8.GetString(data.Span);
        }
        var elementType = type.IsSZArray ? type.GetElementType()! : type;
        var size = ElementSize(elementType);
        if (data.Length % size != 0)
        {
            throw new InvalidDataException($"Raw data of {data.Length} bytes is not a whole number of {elementType.Name} values ({size} bytes each).");
        }
        var array = NewArray(elementType, data.Length / size);
        data.Span.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), data.Length));
        return type.IsSZArray ? array : array.GetValue(0);
    }

    /// <summary>
    /// The memory of a primitive array larger than one blob, as consecutive slices of <see cref="ChunkBytes"/> (the last
    /// one shorter), without copying; null for any other value.
    /// </summary>
    internal static IReadOnlyList<ReadOnlyMemory<byte>>? ChunksOf(object value)
    {
        if (value is not Array array || !array.GetType().IsSZArray || !Scalars.ContainsKey(array.GetType().GetElementType()!)
            || ByteLength(array) is var bytes && bytes <= ChunkBytes)
        {
            return null;
        }
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (long offset = 0; offset < bytes; offset += ChunkBytes)
        {
            chunks.Add(new ArrayBytes(array, offset, (int)Math.Min(ChunkBytes, bytes - offset)).Memory);
        }
        return chunks;
    }

    /// <summary>A new primitive array of <paramref name="arrayType"/> holding <paramref name="byteLength"/> bytes.</summary>
    internal static Array AllocateArray(Type arrayType, long byteLength)
    {
        var elementType = arrayType.GetElementType()!;
        var size = ElementSize(elementType);
        if (byteLength % size != 0)
        {
            throw new InvalidDataException($"Raw data of {byteLength} bytes is not a whole number of {elementType.Name} values ({size} bytes each).");
        }
        return NewArray(elementType, byteLength / size);
    }

    /// <summary>The bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/> of a primitive array, as memory to read into (no copy).</summary>
    internal static Memory<byte> BytesOf(Array array, long offset, int length) =>
        offset < 0 || length < 0 || offset + length > ByteLength(array)
            ? throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}..{offset + length} are outside the {ByteLength(array)}-byte array")
            : new ArrayBytes(array, offset, length).Memory;

    /// <summary>The size in bytes of a primitive array (which may exceed 2 GB).</summary>
    internal static long ByteLength(Array array) => array.LongLength * ElementSize(array.GetType().GetElementType()!);

    /// <summary>
    /// A slice of the bytes of a primitive array as memory, without copying (the array stays pinned while in use). The
    /// array may be larger than 2 GB; one slice is at most <see cref="int.MaxValue"/> bytes.
    /// </summary>
    private sealed class ArrayBytes(Array array, long offset, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() =>
            MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset), length);

        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            var pin = GCHandle.Alloc(array, GCHandleType.Pinned); // freed when the returned handle is disposed
            return new MemoryHandle((byte*)pin.AddrOfPinnedObject() + offset + elementIndex, pin);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
