using System.Security.Cryptography;
using System.Text;

namespace FedNano.Dicom;

/// <summary>
/// Writes a <c>multipart/related</c> body (RFC 2387 / RFC 2046) part by part to a forward-only stream, e.g. a WADO-RS
/// response or a STOW-RS request. Call <see cref="CompleteAsync"/> once at the end to write the closing delimiter.
/// </summary>
/// <remarks>
/// Layout: <c>--B CRLF headers CRLF CRLF content</c> for the first part, <c>CRLF --B CRLF …</c> for the next ones, and
/// <c>CRLF --B-- CRLF</c> at the end. The output stream is neither flushed nor disposed. Not thread-safe.
/// </remarks>
public sealed class MultipartRelatedWriter
{
    private readonly Stream _output;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="type">The <c>type</c> parameter (media type of the parts), e.g. <c>application/dicom</c>; null to omit it.</param>
    /// <param name="boundary">The boundary; a random one (see <see cref="GenerateBoundary"/>) when null.</param>
    /// <param name="parameters">More Content-Type parameters written after <c>type</c> and before <c>boundary</c>, e.g. <c>transfer-syntax</c>.</param>
    /// <exception cref="ArgumentException">An invalid boundary or parameter.</exception>
    public MultipartRelatedWriter(Stream output, string? type = DicomWebMediaTypes.ApplicationDicom, string? boundary = null,
        IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(output));
        boundary ??= GenerateBoundary();
        if (boundary.Length is 0 or > MultipartRelatedReader.MaxStandardBoundaryLength || boundary.Any(c => c is < ' ' or > '~') || boundary[^1] == ' ')
            throw new ArgumentException($"'{boundary}' is not a valid boundary (1 to 70 visible ASCII characters or spaces, not ending in a space).", nameof(boundary));
        _output = output;
        Boundary = boundary;
        var all = new List<KeyValuePair<string, string>>();
        if (type is not null) all.Add(new(DicomWebMediaTypes.TypeParameter, type));
        if (parameters is not null) all.AddRange(parameters);
        all.Add(new(DicomWebMediaTypes.BoundaryParameter, boundary));
        MediaType = new MediaTypeValue(DicomWebMediaTypes.MultipartRelated, all);
        ContentType = MediaType.ToString();
    }

    /// <summary>The boundary, without the leading <c>--</c>.</summary>
    public string Boundary { get; }

    /// <summary>The Content-Type of the body as a media type value.</summary>
    public MediaTypeValue MediaType { get; }

    /// <summary>The Content-Type header value, e.g. <c>multipart/related; type="application/dicom"; boundary=…</c>.</summary>
    public string ContentType { get; }

    /// <summary>Number of parts written so far.</summary>
    public int PartCount { get; private set; }

    /// <summary>Whether <see cref="CompleteAsync"/> has been called.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>A random boundary: <c>fednano-</c> and 32 hexadecimal digits (a token, so it is written unquoted).</summary>
    public static string GenerateBoundary() => "fednano-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Writes one part whose content is copied from <paramref name="content"/> (read from its current position to its end).</summary>
    /// <param name="content">The part content.</param>
    /// <param name="contentType">The part's Content-Type header value.</param>
    /// <param name="extraHeaders">More part headers (e.g. Content-Location), written after Content-Type.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A header name that is not a token or a value with CR, LF or other control characters.</exception>
    public async Task WritePartAsync(Stream content, string contentType, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await WriteHeadAsync(contentType, extraHeaders, cancellationToken).ConfigureAwait(false);
        await content.CopyToAsync(_output, 81920, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one part whose content is <paramref name="content"/>.</summary>
    /// <param name="content">The part content.</param>
    /// <param name="contentType">The part's Content-Type header value.</param>
    /// <param name="extraHeaders">More part headers (e.g. Content-Location), written after Content-Type.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A header name that is not a token or a value with CR, LF or other control characters.</exception>
    public async Task WritePartAsync(ReadOnlyMemory<byte> content, string contentType, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null,
        CancellationToken cancellationToken = default)
    {
        await WriteHeadAsync(contentType, extraHeaders, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the closing delimiter <c>CRLF--boundary--CRLF</c> (just <c>--boundary--CRLF</c> when no part was written).</summary>
    /// <exception cref="InvalidOperationException">Already completed.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (IsCompleted) throw new InvalidOperationException("The multipart body is already complete.");
        IsCompleted = true;
        var close = (PartCount == 0 ? "--" : "\r\n--") + Boundary + "--\r\n";
        await _output.WriteAsync(Encoding.ASCII.GetBytes(close), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteHeadAsync(string contentType, IEnumerable<KeyValuePair<string, string>>? extraHeaders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (IsCompleted) throw new InvalidOperationException("The multipart body is already complete; no more parts can be written.");
        var sb = new StringBuilder(128);
        if (PartCount > 0) sb.Append("\r\n");
        sb.Append("--").Append(Boundary).Append("\r\n");
        AppendHeader(sb, "Content-Type", contentType);
        if (extraHeaders is not null)
            foreach (var (name, value) in extraHeaders)
                AppendHeader(sb, name, value);
        sb.Append("\r\n");
        PartCount++;
        await _output.WriteAsync(Encoding.Latin1.GetBytes(sb.ToString()), cancellationToken).ConfigureAwait(false);
    }

    private static void AppendHeader(StringBuilder sb, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!HttpSyntax.IsToken(name)) throw new ArgumentException($"'{name}' is not a valid header name.", nameof(name));
        foreach (var c in value)
            if ((c < ' ' && c != '\t') || c == (char)0x7F || c > (char)0xFF)
                throw new ArgumentException($"The value of header '{name}' contains a control or non-Latin-1 character.", nameof(value));
        sb.Append(name).Append(": ").Append(value).Append("\r\n");
    }
}
