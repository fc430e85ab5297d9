using System.Net;
using System.Text;
using FedNano.Dicom;

namespace FedNano.PacsBridge;

/// <summary>
/// A STOW-RS request body, <c>multipart/related; type="application/dicom"</c>, written part by part into the request
/// stream as it is sent. Its exact length is computed when every part's length is known, so the request goes with a
/// Content-Length instead of chunked encoding.
/// </summary>
internal sealed class StowContent : HttpContent
{
    private readonly IReadOnlyList<StowPart> _parts;
    private readonly string _boundary = MultipartRelatedWriter.GenerateBoundary();

    public StowContent(IReadOnlyList<StowPart> parts)
    {
        _parts = parts;
        // The writer's Content-Type, built the same way the body is (quoted type, then boundary).
        var probe = new MultipartRelatedWriter(Stream.Null, DicomWebMediaTypes.ApplicationDicom, _boundary);
        Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var writer = new MultipartRelatedWriter(stream, DicomWebMediaTypes.ApplicationDicom, _boundary);
        foreach (var part in _parts)
        {
            if (part.Bytes is { } bytes) await writer.WritePartAsync(bytes, DicomWebMediaTypes.ApplicationDicom, null, cancellationToken).ConfigureAwait(false);
            else await writer.WritePartAsync(part.Stream!, DicomWebMediaTypes.ApplicationDicom, null, cancellationToken).ConfigureAwait(false);
        }
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <summary>Layout of <see cref="MultipartRelatedWriter"/>: per part [CRLF] "--B" CRLF "Content-Type: application/dicom" CRLF CRLF content; then [CRLF] "--B--" CRLF.</summary>
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        int head = Encoding.ASCII.GetByteCount($"--{_boundary}\r\nContent-Type: {DicomWebMediaTypes.ApplicationDicom}\r\n\r\n");
        foreach (var part in _parts)
        {
            if (part.Length is not { } n) return false;
            length += head + n;
        }
        length += 2L * (_parts.Count - 1); // CRLF before every delimiter after the first
        length += (_parts.Count == 0 ? 0 : 2) + Encoding.ASCII.GetByteCount($"--{_boundary}--\r\n");
        return true;
    }
}
