using System.Buffers;
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
    private static readonly HashSet<Type> Scalars =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long),
        typeof(ulong), typeof(float), typeof(double), typeof(char),
    ];

    private const byte Utf16Marker = 0xFF;

    /// <summary>The most bytes one artifact holds (a .NET buffer is indexed by an int).</summary>
    private const long MaxBytes = int.MaxValue;

    private static int ElementSize(Type elementType) => Buffer.ByteLength(Array.CreateInstance(elementType, 1));

    /// <inheritdoc />
    public string Id => "raw";

    /// <inheritdoc />
    public bool CanSerialize(Type type) =>
        type == typeof(string) || Scalars.Contains(type) || (type.IsSZArray && Scalars.Contains(type.GetElementType()!));

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Serialize(object value, Type type)
    {
        switch (value)
        {
            case string s:
                return WellFormedText.IsWellFormed(s) ? Encoding.UTF8.GetBytes(s) : [Utf16Marker, .. MemoryMarshal.AsBytes(s.AsSpan())];
            case Array array:
                return (long)array.LongLength * ElementSize(array.GetType().GetElementType()!) is var bytes and > MaxBytes
                    ? throw new ArgumentException($"it is {bytes:N0} bytes ({array.LongLength:N0} values), over the {MaxBytes:N0}-byte limit of one artifact. "
                        + "Split it into several arrays (e.g. a List of chunks) or save it as files.")
                    : new ArrayBytes(array).Memory;
            default:
                var single = Array.CreateInstance(type, 1);
                single.SetValue(value, 0);
                return new ArrayBytes(single).Memory.ToArray();
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
        var array = Array.CreateInstance(elementType, data.Length / size);
        data.Span.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), data.Length));
        return type.IsSZArray ? array : array.GetValue(0);
    }

    /// <summary>A new primitive array of <paramref name="arrayType"/> holding <paramref name="byteLength"/> bytes, and its memory to read into.</summary>
    internal static (Array Array, Memory<byte> Bytes) AllocateArray(Type arrayType, long byteLength)
    {
        var elementType = arrayType.GetElementType()!;
        var size = ElementSize(elementType);
        if (byteLength % size != 0)
        {
            throw new InvalidDataException($"Raw data of {byteLength} bytes is not a whole number of {elementType.Name} values ({size} bytes each).");
        }
        var array = Array.CreateInstance(elementType, byteLength / size);
        return (array, new ArrayBytes(array).Memory);
    }

    /// <summary>The bytes of a primitive array as memory, without copying (the array stays pinned while in use).</summary>
    private sealed class ArrayBytes(Array array) : MemoryManager<byte>
    {
        private readonly int _length = Buffer.ByteLength(array);

        public override Span<byte> GetSpan() => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), _length);

        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            var pin = GCHandle.Alloc(array, GCHandleType.Pinned); // freed when the returned handle is disposed
            return new MemoryHandle((byte*)pin.AddrOfPinnedObject() + elementIndex, pin);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
