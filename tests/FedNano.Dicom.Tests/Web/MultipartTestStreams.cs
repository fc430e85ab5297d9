namespace FedNano.Dicom.Tests.Web;

/// <summary>A read-only stream over bytes that returns at most <c>chunk()</c> bytes per read, synchronously (also from ReadAsync).</summary>
internal sealed class ChunkedReadStream(byte[] data, Func<int> chunk) : Stream
{
    private int _position;

    public static ChunkedReadStream OneByteAtATime(byte[] data) => new(data, () => 1);

    public static ChunkedReadStream RandomChunks(byte[] data, int seed)
    {
        var random = new Random(seed);
        return new ChunkedReadStream(data, () => random.Next(4) == 0 ? random.Next(1, 8) : random.Next(1, 100_000));
    }

    public int ReadCalls { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        ReadCalls++;
        var n = Math.Min(Math.Min(buffer.Length, chunk()), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// Generates <c>head + content + tail</c> on the fly, where the content is <paramref name="contentLength"/> bytes of a
/// periodic pattern: the whole body is never in memory. Reads complete synchronously.
/// </summary>
internal sealed class GeneratedBodyStream(byte[] head, PeriodicPattern content, long contentLength, byte[] tail) : Stream
{
    private long _position;

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (!buffer.IsEmpty)
        {
            int n;
            if (_position < head.Length)
            {
                n = Math.Min(buffer.Length, head.Length - (int)_position);
                head.AsSpan((int)_position, n).CopyTo(buffer);
            }
            else if (_position < head.Length + contentLength)
            {
                var offset = _position - head.Length;
                n = (int)Math.Min(buffer.Length, contentLength - offset);
                n = content.Fill(offset, buffer[..n]);
            }
            else
            {
                var t = _position - head.Length - contentLength;
                if (t >= tail.Length) break;
                n = Math.Min(buffer.Length, tail.Length - (int)t);
                tail.AsSpan((int)t, n).CopyTo(buffer);
            }
            _position += n;
            total += n;
            buffer = buffer[n..];
        }
        return total;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Content whose byte at offset p is <c>Block[p % Block.Length]</c>.</summary>
internal sealed class PeriodicPattern(byte[] block)
{
    public byte[] Block { get; } = block;

    /// <summary>Copies the pattern from <paramref name="offset"/> into <paramref name="destination"/> (up to the end of the block); returns the count.</summary>
    public int Fill(long offset, Span<byte> destination)
    {
        var start = (int)(offset % Block.Length);
        var n = Math.Min(destination.Length, Block.Length - start);
        Block.AsSpan(start, n).CopyTo(destination);
        return n;
    }
}

/// <summary>A write-only sink that checks what is written against a <see cref="PeriodicPattern"/> without keeping it.</summary>
internal sealed class PatternCheckingStream(PeriodicPattern pattern) : Stream
{
    public long BytesWritten { get; private set; }
    public bool Mismatch { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var start = (int)(BytesWritten % pattern.Block.Length);
            var n = Math.Min(buffer.Length, pattern.Block.Length - start);
            if (!buffer[..n].SequenceEqual(pattern.Block.AsSpan(start, n))) Mismatch = true;
            BytesWritten += n;
            buffer = buffer[n..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
