using System.Buffers.Binary;

namespace FedNano.Dicom;

/// <summary>
/// A forward reader over a stream with its own buffer and an absolute position, so the parser can
/// report offsets, skip large values by seeking, and check declared lengths against what remains.
/// </summary>
internal sealed class DicomInput
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;   // first unread byte in _buffer
    private int _end;     // one past the last valid byte in _buffer
    private long _bufferOrigin; // absolute position of _buffer[0]
    private readonly long _streamLength;
    private readonly long _baseOffset; // position in the stream when we started (for files)

    public DicomInput(Stream stream, int bufferSize = 1 << 16)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
        CanSeek = stream.CanSeek;
        _baseOffset = CanSeek ? stream.Position : 0;
        _bufferOrigin = _baseOffset;
        _streamLength = CanSeek ? stream.Length : -1;
    }

    public bool CanSeek { get; }

    /// <summary>Absolute position of the next unread byte.</summary>
    public long Position => _bufferOrigin + _start;

    /// <summary>Bytes left in the input, or -1 when the stream cannot tell.</summary>
    public long Remaining => _streamLength < 0 ? -1 : _streamLength - Position;

    /// <summary>True when no more bytes can be read.</summary>
    public bool AtEnd => _start >= _end && !Fill(1);

    /// <summary>Makes at least <paramref name="count"/> bytes available in the buffer; false at end of input.</summary>
    public bool Fill(int count)
    {
        if (_end - _start >= count) return true;
        if (count > _buffer.Length) throw new InvalidOperationException("Look-ahead larger than the buffer.");
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _bufferOrigin += _start;
            _start = 0;
        }
        while (_end < count)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) return false;
            _end += n;
        }
        return true;
    }

    public ReadOnlySpan<byte> Peek(int count) => Fill(count) ? _buffer.AsSpan(_start, count) : ReadOnlySpan<byte>.Empty;

    /// <summary>Up to <paramref name="count"/> bytes of look-ahead (fewer at end of input).</summary>
    public ReadOnlySpan<byte> PeekAvailable(int count)
    {
        Fill(Math.Min(count, _buffer.Length));
        return _buffer.AsSpan(_start, Math.Min(count, _end - _start));
    }

    public ushort ReadUInt16(bool bigEndian)
    {
        if (!Fill(2)) throw new EndOfStreamException();
        var span = _buffer.AsSpan(_start, 2);
        _start += 2;
        return bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
    }

    public uint ReadUInt32(bool bigEndian)
    {
        if (!Fill(4)) throw new EndOfStreamException();
        var span = _buffer.AsSpan(_start, 4);
        _start += 4;
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; throws <see cref="EndOfStreamException"/> when the input is shorter.</summary>
    public byte[] ReadBytes(long count)
    {
        if (count == 0) return [];
        if (Remaining >= 0 && count > Remaining) throw new EndOfStreamException();
        if (count <= _end - _start)
        {
            var small = _buffer.AsSpan(_start, (int)count).ToArray();
            _start += (int)count;
            return small;
        }
        if (Remaining >= 0)
        {
            var result = count <= Array.MaxLength ? LargeBuffer.AllocateForOverwrite((int)count) : new byte[count];
            ReadExactly(result);
            return result;
        }
        // Unknown length (non-seekable): grow in chunks so a lying length fails at end of input
        // before it turns into one enormous allocation.
        using var ms = new MemoryStream();
        var chunk = new byte[Math.Min(count, 8 << 20)];
        var left = count;
        while (left > 0)
        {
            var want = (int)Math.Min(left, chunk.Length);
            ReadExactly(chunk.AsSpan(0, want));
            ms.Write(chunk, 0, want);
            left -= want;
        }
        return ms.ToArray();
    }

    private void ReadExactly(Span<byte> destination)
    {
        var fromBuffer = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, fromBuffer).CopyTo(destination);
        _start += fromBuffer;
        var done = fromBuffer;
        while (done < destination.Length)
        {
            var n = _stream.Read(destination[done..]);
            if (n == 0) throw new EndOfStreamException();
            done += n;
            _bufferOrigin += n;
        }
    }

    /// <summary>
    /// The rest of the input as a forward-only stream (buffered bytes first, then the underlying stream).
    /// This reader must not be used afterwards.
    /// </summary>
    public Stream RemainingAsStream()
    {
        var buffered = new MemoryStream(_buffer, _start, _end - _start, writable: false);
        _start = _end;
        return new ConcatenatedStream(buffered, _stream);
    }

    /// <summary>Skips <paramref name="count"/> bytes (seeking when possible).</summary>
    public void Skip(long count)
    {
        if (count <= _end - _start) { _start += (int)count; return; }
        if (Remaining >= 0 && count > Remaining) throw new EndOfStreamException();
        var target = Position + count;
        if (CanSeek)
        {
            _stream.Seek(target, SeekOrigin.Begin);
            _bufferOrigin = target;
            _start = _end = 0;
            return;
        }
        var left = count - (_end - _start);
        _bufferOrigin += _end;
        _start = _end = 0;
        while (left > 0)
        {
            var n = _stream.Read(_buffer, 0, (int)Math.Min(left, _buffer.Length));
            if (n == 0) throw new EndOfStreamException();
            left -= n;
            _bufferOrigin += n;
        }
    }
}
