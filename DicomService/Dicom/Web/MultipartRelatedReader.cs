using System.Text;

namespace FedNano.Dicom;

/// <summary>Limits and leniency of <see cref="MultipartRelatedReader"/>.</summary>
public sealed class MultipartReaderOptions
{
    /// <summary>Size of the read buffer (default 64 KiB); raised to fit the header limit when smaller.</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Most bytes of one part's header block, boundary line padding included (default 16 KiB).</summary>
    public int MaxHeaderBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// Accept bare LF line endings (delimiter <c>LF--boundary</c>, header lines ending in LF) besides CRLF.
    /// Off by default: RFC 2046 requires CRLF, and a bare-LF delimiter is more likely to occur inside binary content.
    /// </summary>
    public bool AllowBareLineFeeds { get; init; }
}

/// <summary>One part of a multipart body: its headers and a forward-only stream over its content.</summary>
public sealed class MultipartPart
{
    internal MultipartPart(int index, IReadOnlyDictionary<string, string> headers, Stream body)
    {
        Index = index;
        Headers = headers;
        Body = body;
    }

    /// <summary>Zero-based position of the part in the body.</summary>
    public int Index { get; }

    /// <summary>The part headers; names case-insensitive, repeated headers joined with <c>", "</c>, folded lines unfolded.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The <c>Content-Type</c> header, or null when the part has none.</summary>
    public string? ContentType => Headers.GetValueOrDefault("Content-Type");

    /// <summary>The <c>Content-Location</c> header, or null.</summary>
    public string? ContentLocation => Headers.GetValueOrDefault("Content-Location");

    /// <summary>
    /// The part content, streamed: reads end exactly before the CRLF of the next boundary delimiter. Valid until the
    /// next <see cref="MultipartRelatedReader.ReadNextPartAsync"/>; a truncated body makes a read throw
    /// <see cref="MultipartFormatException"/>. Not seekable; disposing it does nothing.
    /// </summary>
    public Stream Body { get; }
}

/// <summary>
/// Reads a <c>multipart/related</c> (or any RFC 2046 multipart) body part by part from a forward-only stream, without
/// holding a part in memory: each part's content is a stream over one reusable buffer, searched for the delimiter with
/// vectorized span searches.
/// </summary>
/// <remarks>
/// Handles a preamble and epilogue (the epilogue is never read), a closing <c>--boundary--</c> without a final CRLF
/// (and a body that ends right after a delimiter), transport padding after a delimiter, parts without headers, folded
/// header lines, and any fragmentation of the underlying reads. Not thread-safe; one part at a time. The input stream
/// is not disposed.
/// </remarks>
public sealed class MultipartRelatedReader
{
    /// <summary>
    /// Longest boundary this reader accepts. RFC 2046 allows 70 characters, but real peers send longer ones
    /// (Orthanc 1.10's DICOMweb client uses two UUIDs, 73 characters), so reading is lenient; writers stay within 70.
    /// </summary>
    public const int MaxBoundaryLength = 256;

    /// <summary>Longest boundary RFC 2046 allows; what <see cref="MultipartRelatedWriter"/> produces.</summary>
    public const int MaxStandardBoundaryLength = 70;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly byte[] _delimiter; // CRLF--boundary, or LF--boundary when bare LFs are allowed
    private readonly int _dashOffset;   // where "--boundary" starts in _delimiter
    private readonly bool _bareLf;
    private readonly int _maxHeaderBytes;

    private int _start;   // first unconsumed byte in _buffer
    private int _end;     // end of the data in _buffer
    private long _origin; // offset in the body of _buffer[0]
    private bool _eof;
    private State _state;
    private PartStream? _current;

    // Body scan cache: [_start, _safeEnd) is known content; the delimiter begins at _safeEnd when _delimiterAtSafeEnd.
    private int _safeEnd;
    private bool _delimiterAtSafeEnd;

    private enum State { Preamble, Body, Finished }

    /// <summary>Creates a reader over <paramref name="body"/> for parts separated by <paramref name="boundary"/>.</summary>
    /// <param name="body">The multipart body; read forward only, never sought or disposed.</param>
    /// <param name="boundary">The <c>boundary</c> parameter of the Content-Type (1–70 characters, see <see cref="GetBoundary(MediaTypeValue)"/>).</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <exception cref="ArgumentException">The boundary is empty, too long or has control or non-ASCII characters.</exception>
    public MultipartRelatedReader(Stream body, string boundary, MultipartReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(boundary);
        if (ValidateBoundary(boundary) is { } problem) throw new ArgumentException(problem, nameof(boundary));
        if (!body.CanRead) throw new ArgumentException("The stream is not readable.", nameof(body));
        options ??= new MultipartReaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHeaderBytes, 64, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferSize, 1, nameof(options));
        _stream = body;
        Boundary = boundary;
        _bareLf = options.AllowBareLineFeeds;
        _maxHeaderBytes = options.MaxHeaderBytes;
        _delimiter = Encoding.ASCII.GetBytes((_bareLf ? "\n--" : "\r\n--") + boundary);
        _dashOffset = _bareLf ? 1 : 2;
        _buffer = new byte[Math.Max(options.BufferSize, options.MaxHeaderBytes + 4 * _delimiter.Length + 64)];
    }

    /// <summary>The boundary, without the leading <c>--</c>.</summary>
    public string Boundary { get; }

    /// <summary>Number of parts returned so far.</summary>
    public int PartCount { get; private set; }

    /// <summary>Bytes of the body consumed so far (read ahead into the buffer not counted).</summary>
    public long Position => _origin + _start;

    /// <summary>
    /// The <c>boundary</c> of a multipart Content-Type, validated (1–70 visible ASCII characters or spaces, not ending
    /// in a space).
    /// </summary>
    /// <exception cref="MultipartFormatException">Not a multipart type, no boundary, or an invalid boundary.</exception>
    public static string GetBoundary(MediaTypeValue contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (contentType.Type != "multipart")
            throw new MultipartFormatException($"Content-Type '{contentType}' is not a multipart media type.");
        var boundary = contentType.GetParameter(DicomWebMediaTypes.BoundaryParameter)
            ?? throw new MultipartFormatException($"Content-Type '{contentType}' has no boundary parameter.");
        if (ValidateBoundary(boundary) is { } problem)
            throw new MultipartFormatException($"Content-Type '{contentType}': {problem}");
        return boundary;
    }

    /// <summary>Parses <paramref name="contentType"/> and returns its validated boundary.</summary>
    /// <exception cref="MultipartFormatException">Malformed Content-Type, not multipart, no or invalid boundary.</exception>
    public static string GetBoundary(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        try
        {
            return GetBoundary(MediaTypeValue.Parse(contentType));
        }
        catch (FormatException e)
        {
            throw new MultipartFormatException(e.Message);
        }
    }

    private static string? ValidateBoundary(string boundary)
    {
        if (boundary.Length == 0) return "the boundary is empty.";
        if (boundary.Length > MaxBoundaryLength)
            return $"the boundary has {boundary.Length} characters; at most {MaxBoundaryLength} are allowed.";
        foreach (var c in boundary)
            if (c is < ' ' or > '~')
                return "the boundary contains a control or non-ASCII character.";
        if (boundary[^1] == ' ') return "the boundary ends with a space.";
        return null;
    }

    /// <summary>
    /// Advances to the next part, skipping the preamble before the first and whatever of the current part's content
    /// was not read. Returns null after the closing delimiter (the epilogue is not read).
    /// </summary>
    /// <exception cref="MultipartFormatException">No boundary found, truncated body, oversized or malformed headers,
    /// or a delimiter followed by something other than <c>--</c> or a line break.</exception>
    public async ValueTask<MultipartPart?> ReadNextPartAsync(CancellationToken cancellationToken = default)
    {
        switch (_state)
        {
            case State.Finished:
                return null;
            case State.Preamble:
                await FindFirstDelimiterAsync(cancellationToken).ConfigureAwait(false);
                break;
            default:
                var part = _current!;
                while (true)
                {
                    var n = AvailableBody(out var atDelimiter);
                    if (n > 0) part.Advance(n);
                    else if (atDelimiter) break;
                    else if (!await FillAsync(cancellationToken).ConfigureAwait(false)) throw Truncated(part);
                }
                part.Detach();
                _current = null;
                // The delimiter is whole in the buffer: skip its line break.
                if (_buffer[_start] == '\r') _start++;
                _start++;
                break;
        }

        // _start is at "--boundary".
        var dashLength = _delimiter.Length - _dashOffset;
        while (_end - _start < dashLength + 2 && await FillAsync(cancellationToken).ConfigureAwait(false)) { }
        _start += dashLength;
        var available = _end - _start;
        if (available == 0)
        {
            _state = State.Finished; // the body ends right after a delimiter: no closing "--", but nothing is lost
            return null;
        }
        if (_buffer[_start] == '-' && available >= 2 && _buffer[_start + 1] == '-')
        {
            _start += 2;
            _state = State.Finished;
            return null;
        }
        if (_buffer[_start] == '-' && available == 1)
            throw new MultipartFormatException($"The multipart body ends inside the closing delimiter '--{Boundary}--'.", Position);

        await SkipDelimiterLineEndAsync(cancellationToken).ConfigureAwait(false);
        var headers = await ReadHeadersAsync(cancellationToken).ConfigureAwait(false);
        var index = PartCount++;
        _current = new PartStream(this, index);
        _safeEnd = _start;
        _delimiterAtSafeEnd = false;
        _state = State.Body;
        return new MultipartPart(index, headers, _current);
    }

    private async ValueTask FindFirstDelimiterAsync(CancellationToken cancellationToken)
    {
        var dash = _delimiter.AsMemory(_dashOffset);
        while (_end - _start < dash.Length && await FillAsync(cancellationToken).ConfigureAwait(false)) { }
        if (Position == 0 && _buffer.AsSpan(_start, _end - _start).StartsWith(dash.Span))
            return; // no preamble
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var i = span.IndexOf(_delimiter);
            if (i >= 0)
            {
                _start += i + _dashOffset;
                return;
            }
            _start = _end - PartialDelimiterLength(span);
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                throw new MultipartFormatException(
                    $"The multipart body ({_origin + _end} bytes) contains no boundary delimiter '--{Boundary}'.", _origin + _end);
        }
    }

    private async ValueTask SkipDelimiterLineEndAsync(CancellationToken cancellationToken)
    {
        var padding = 0;
        while (true)
        {
            if (_end - _start < 2 && await FillAsync(cancellationToken).ConfigureAwait(false)) continue;
            if (_start == _end) break;
            var c = _buffer[_start];
            if (c is (byte)' ' or (byte)'\t')
            {
                _start++;
                if (++padding > _maxHeaderBytes)
                    throw new MultipartFormatException($"Too much whitespace after the boundary delimiter of part {PartCount + 1}.", Position);
                continue;
            }
            if (c == '\r' && _end - _start >= 2 && _buffer[_start + 1] == '\n')
            {
                _start += 2;
                return;
            }
            if (c == '\n' && _bareLf)
            {
                _start++;
                return;
            }
            var shown = Encoding.ASCII.GetString(_buffer, _start, Math.Min(16, _end - _start))
                .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            throw new MultipartFormatException(
                $"The boundary delimiter '--{Boundary}' before part {PartCount + 1} is followed by '{shown}' instead of a line break or '--'.",
                Position);
        }
        throw new MultipartFormatException($"The multipart body ends after the boundary delimiter before part {PartCount + 1}, without its headers.", Position);
    }

    private async ValueTask<Dictionary<string, string>> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        var total = 0;   // header bytes consumed
        var scanned = 0; // bytes after _start already searched for LF
        while (true)
        {
            var i = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (i < 0)
            {
                scanned = _end - _start;
                if (total + scanned > _maxHeaderBytes) throw HeadersTooLarge();
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                    throw new MultipartFormatException($"The multipart body ends inside the headers of part {PartCount + 1}.", _origin + _end);
                continue;
            }
            var lineLength = scanned + i;
            total += lineLength + 1;
            if (total > _maxHeaderBytes) throw HeadersTooLarge();
            var done = ParseHeaderLine(lineLength, headers, ref last);
            _start += lineLength + 1;
            scanned = 0;
            if (done) return headers;
        }
    }

    private MultipartFormatException HeadersTooLarge() =>
        new($"The headers of part {PartCount + 1} exceed {_maxHeaderBytes} bytes.", Position);

    /// <summary>Parses the line at _start (without its LF); true for the empty line that ends the headers.</summary>
    private bool ParseHeaderLine(int length, Dictionary<string, string> headers, ref string? last)
    {
        var line = _buffer.AsSpan(_start, length);
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        else if (!_bareLf)
            throw new MultipartFormatException($"A header line of part {PartCount + 1} ends with a bare LF; CRLF is required.", Position);
        if (line.IsEmpty) return true;
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            // obs-fold: a continuation of the previous header value.
            if (last is null)
                throw new MultipartFormatException($"The headers of part {PartCount + 1} start with a continuation line.", Position);
            var more = Encoding.Latin1.GetString(line).Trim(' ', '\t');
            if (more.Length > 0) headers[last] = headers[last].Length == 0 ? more : headers[last] + " " + more;
            return false;
        }
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            var shown = Encoding.Latin1.GetString(line[..Math.Min(line.Length, 60)]);
            throw new MultipartFormatException($"Malformed header line '{shown}' in part {PartCount + 1}: expected 'Name: value'.", Position);
        }
        var name = Encoding.ASCII.GetString(line[..colon]);
        var value = Encoding.Latin1.GetString(line[(colon + 1)..]).Trim(' ', '\t');
        headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        last = name;
        return false;
    }

    private static bool IsToken(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
            if (!HttpSyntax.IsTokenChar((char)b)) return false;
        return true;
    }

    /// <summary>
    /// Content bytes available at _start; <paramref name="atDelimiter"/> when the part's delimiter begins right after
    /// them. Zero and false: more input is needed to decide.
    /// </summary>
    private int AvailableBody(out bool atDelimiter)
    {
        if (_start == _safeEnd && !_delimiterAtSafeEnd) ScanBody();
        atDelimiter = _delimiterAtSafeEnd;
        return _safeEnd - _start;
    }

    private void ScanBody()
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var i = span.IndexOf(_delimiter);
        var found = i >= 0;
        var safe = found ? i : span.Length - PartialDelimiterLength(span);
        // With bare LFs allowed the delimiter is LF--boundary, but a CR before it belongs to it (CRLF--boundary).
        if (_bareLf && safe > 0 && span[safe - 1] == '\r') safe--;
        _safeEnd = _start + safe;
        _delimiterAtSafeEnd = found;
    }

    /// <summary>Length of the longest end of <paramref name="span"/> that is a proper prefix of the delimiter.</summary>
    private int PartialDelimiterLength(ReadOnlySpan<byte> span)
    {
        var tail = span[^Math.Min(span.Length, _delimiter.Length - 1)..];
        var from = 0;
        while (from < tail.Length)
        {
            var j = tail[from..].IndexOf(_delimiter[0]);
            if (j < 0) return 0;
            j += from;
            if (tail[j..].SequenceEqual(_delimiter.AsSpan(0, tail.Length - j))) return tail.Length - j;
            from = j + 1;
        }
        return 0;
    }

    /// <summary>Makes room at the end of the buffer, or returns false when the input has ended.</summary>
    private bool PrepareFill()
    {
        if (_eof) return false;
        var held = _end - _start;
        if (_start > 0 && (held <= 4096 || _buffer.Length - _end < _buffer.Length / 8))
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
            _origin += _start;
            _safeEnd -= _start;
            _end = held;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidOperationException("Multipart reader buffer is full."); // prevented by the limits
        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (!PrepareFill()) return false;
        var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        return CompleteFill(n);
    }

    private bool Fill()
    {
        if (!PrepareFill()) return false;
        return CompleteFill(_stream.Read(_buffer.AsSpan(_end)));
    }

    private bool CompleteFill(int n)
    {
        if (n <= 0)
        {
            _eof = true;
            return false;
        }
        _end += n;
        return true;
    }

    private MultipartFormatException Truncated(PartStream part) =>
        new($"The multipart body ends inside part {part.Index + 1} ({part.BytesRead} bytes of content read), "
            + $"before its boundary delimiter '--{Boundary}'.", _origin + _end);

    /// <summary>The content of the current part: a view onto the reader's buffer.</summary>
    private sealed class PartStream(MultipartRelatedReader reader, int index) : Stream
    {
        private bool _ended;
        private bool _detached;

        public int Index { get; } = index;
        public long BytesRead { get; private set; }

        public void Advance(int n)
        {
            reader._start += n;
            BytesRead += n;
        }

        public void Detach() => _detached = true;

        private void CheckCurrent()
        {
            if (_detached)
                throw new InvalidOperationException($"Part {Index + 1} can no longer be read: the reader has moved to the next part.");
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException("The length of a multipart part is not known in advance.");

        /// <summary>Bytes read so far; cannot be set.</summary>
        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            return Read(buffer.AsSpan(offset, count));
        }

        public override int Read(Span<byte> buffer)
        {
            CheckCurrent();
            if (_ended || buffer.IsEmpty) return 0;
            while (true)
            {
                var n = reader.AvailableBody(out var atDelimiter);
                if (n > 0) return Take(buffer, n);
                if (atDelimiter)
                {
                    _ended = true;
                    return 0;
                }
                if (!reader.Fill()) throw reader.Truncated(this);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            CheckCurrent();
            if (_ended || buffer.IsEmpty) return 0;
            while (true)
            {
                var n = reader.AvailableBody(out var atDelimiter);
                if (n > 0) return Take(buffer.Span, n);
                if (atDelimiter)
                {
                    _ended = true;
                    return 0;
                }
                if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false)) throw reader.Truncated(this);
            }
        }

        private int Take(Span<byte> destination, int available)
        {
            var n = Math.Min(available, destination.Length);
            reader._buffer.AsSpan(reader._start, n).CopyTo(destination);
            Advance(n);
            return n;
        }

        /// <summary>Writes the rest of the part straight from the reader's buffer (no intermediate copy).</summary>
        public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(destination);
            CheckCurrent();
            while (!_ended)
            {
                var n = reader.AvailableBody(out var atDelimiter);
                if (n > 0)
                {
                    await destination.WriteAsync(reader._buffer.AsMemory(reader._start, n), cancellationToken).ConfigureAwait(false);
                    Advance(n);
                }
                else if (atDelimiter) _ended = true;
                else if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false)) throw reader.Truncated(this);
            }
        }

        public override void CopyTo(Stream destination, int bufferSize)
        {
            ArgumentNullException.ThrowIfNull(destination);
            CheckCurrent();
            while (!_ended)
            {
                var n = reader.AvailableBody(out var atDelimiter);
                if (n > 0)
                {
                    destination.Write(reader._buffer, reader._start, n);
                    Advance(n);
                }
                else if (atDelimiter) _ended = true;
                else if (!reader.Fill()) throw reader.Truncated(this);
            }
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
