using FedNano.DicomService.Core.Storage;
using Microsoft.Win32.SafeHandles;

namespace FedNano.DicomService.Core.Infrastructure;

/// <summary>
/// A read-only, seekable stream over the concatenation of byte ranges of one file. The file is opened on the first read,
/// so that a response with many frames does not hold many handles before it writes them.
/// </summary>
internal sealed class RangesStream : Stream
{
    private readonly string _path;
    private readonly ByteRange[] _ranges;
    private readonly long[] _starts; // logical start of each range
    private SafeFileHandle? _handle;
    private long _position;
    private bool _disposed;

    public RangesStream(string path, IReadOnlyList<ByteRange> ranges)
    {
        _path = path;
        _ranges = [.. ranges];
        _starts = new long[_ranges.Length];
        long total = 0;
        for (var i = 0; i < _ranges.Length; i++)
        {
            _starts[i] = total;
            total += _ranges[i].Length;
        }
        Length = total;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    private SafeFileHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_handle is not null) return _handle;
            try
            {
                return _handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new ResourceNotFoundException("The stored file of the instance is missing.");
            }
        }
    }

    /// <summary>The file position and the bytes left in the range that holds logical position <see cref="_position"/>.</summary>
    private bool Locate(out long filePosition, out long available)
    {
        filePosition = available = 0;
        if (_position >= Length) return false;
        var i = Array.BinarySearch(_starts, _position);
        if (i < 0) i = ~i - 1;
        while (i < _ranges.Length - 1 && _ranges[i].Length == 0) i++;
        var within = _position - _starts[i];
        filePosition = _ranges[i].Offset + within;
        available = _ranges[i].Length - within;
        return available > 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || !Locate(out var filePosition, out var available)) return 0;
        if (buffer.Length > available) buffer = buffer[..(int)available];
        var n = RandomAccess.Read(Handle, buffer, filePosition);
        if (n == 0) throw new EndOfStreamException("The stored file is shorter than its frame index says (it was truncated).");
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || !Locate(out var filePosition, out var available)) return 0;
        if (buffer.Length > available) buffer = buffer[..(int)available];
        var n = await RandomAccess.ReadAsync(Handle, buffer, filePosition, cancellationToken).ConfigureAwait(false);
        if (n == 0) throw new EndOfStreamException("The stored file is shorter than its frame index says (it was truncated).");
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        return _position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle?.Dispose();
        _disposed = true;
        base.Dispose(disposing);
    }
}
