namespace FedNano.Dicom;

/// <summary>Media types and media-type parameters used by DICOMweb (PS3.18 §8.7).</summary>
public static class DicomWebMediaTypes
{
    /// <summary><c>application/dicom</c>: a Part 10 file.</summary>
    public const string ApplicationDicom = "application/dicom";

    /// <summary><c>application/dicom+json</c>: DICOM JSON (PS3.18 Annex F).</summary>
    public const string ApplicationDicomJson = "application/dicom+json";

    /// <summary><c>application/dicom+xml</c>: Native DICOM Model XML.</summary>
    public const string ApplicationDicomXml = "application/dicom+xml";

    /// <summary><c>application/json</c>, accepted by some clients instead of <c>application/dicom+json</c>.</summary>
    public const string ApplicationJson = "application/json";

    /// <summary><c>application/octet-stream</c>: uncompressed bulk data and frames.</summary>
    public const string ApplicationOctetStream = "application/octet-stream";

    /// <summary><c>multipart/related</c> (RFC 2387).</summary>
    public const string MultipartRelated = "multipart/related";

    /// <summary><c>image/jpeg</c>.</summary>
    public const string ImageJpeg = "image/jpeg";

    /// <summary><c>image/png</c>.</summary>
    public const string ImagePng = "image/png";

    /// <summary>The <c>type</c> parameter of <c>multipart/related</c>: the media type of the root (every) part.</summary>
    public const string TypeParameter = "type";

    /// <summary>The <c>boundary</c> parameter of multipart media types.</summary>
    public const string BoundaryParameter = "boundary";

    /// <summary>The DICOMweb <c>transfer-syntax</c> parameter (a UID, or <c>*</c> in Accept for "as stored").</summary>
    public const string TransferSyntaxParameter = "transfer-syntax";

    /// <summary>UID of Explicit VR Little Endian, the default transfer syntax of <c>application/dicom</c> in DICOMweb.</summary>
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>
    /// <c>multipart/related; type="<paramref name="type"/>"</c>, with <c>transfer-syntax</c> when given (a family for
    /// <see cref="AcceptHeader.NegotiateTransferSyntax"/> or a concrete response type).
    /// </summary>
    public static MediaTypeValue Multipart(string type, string? transferSyntax = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        var parameters = new List<KeyValuePair<string, string>> { new(TypeParameter, type) };
        if (transferSyntax is not null) parameters.Add(new(TransferSyntaxParameter, transferSyntax));
        return new MediaTypeValue(MultipartRelated, parameters);
    }

    /// <summary>
    /// Whether <paramref name="contentType"/> is <c>multipart/related</c> whose <c>type</c> parameter (quoted or not,
    /// any case) is <paramref name="type"/>; a missing <c>type</c> parameter counts as a match when
    /// <paramref name="allowMissingType"/> is true.
    /// </summary>
    public static bool IsMultipartRelated(MediaTypeValue contentType, string type, bool allowMissingType = false)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (!contentType.HasMediaType(MultipartRelated)) return false;
        var actual = contentType.GetParameter(TypeParameter);
        if (actual is null) return allowMissingType;
        // The type parameter may itself carry parameters (type="application/dicom; x=y"); compare the media type only.
        var semicolon = actual.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? actual : actual[..semicolon]).Trim();
        return string.Equals(mediaType, type, StringComparison.OrdinalIgnoreCase);
    }
}
