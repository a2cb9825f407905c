using Sharpflow.Datastore;
namespace Sharpflow.S3;

/// <summary>A read-only, seekable stream over a header and a body held in memory (what a <see cref="BlobWrite"/> is), without copying them together.</summary>
internal sealed class SegmentStream(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second) : Stream
{
    private long _position;
    private long _start;
    private long _length = first.Length + second.Length;

    /// <summary>A view of bytes <paramref name="offset"/>..<paramref name="offset"/>+<paramref name="count"/> (a multipart upload's part).</summary>
    public SegmentStream Slice(long offset, long count) => new(first, second) { _start = offset, _length = count };

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, _length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var copied = 0;
        while (copied < buffer.Length && _position < _length)
        {
            var absolute = _start + _position;
            var source = absolute < first.Length ? first.Span[(int)absolute..] : second.Span[(int)(absolute - first.Length)..];
            var take = (int)Math.Min(Math.Min(source.Length, buffer.Length - copied), _length - _position);
            source[..take].CopyTo(buffer[copied..]);
            copied += take;
            _position += take;
        }
        return copied;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
