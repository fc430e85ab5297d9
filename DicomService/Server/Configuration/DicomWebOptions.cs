using System.ComponentModel.DataAnnotations;

namespace FedNano.DicomService.Configuration;

/// <summary>HTTP-level DICOMweb settings (configuration section <c>DicomWeb</c>).</summary>
public sealed class DicomWebOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "DicomWeb";

    /// <summary>
    /// Largest STOW-RS request body in bytes; null (the default) for no limit, since raw projection series can be
    /// gigabytes. Parts are streamed to staging files, so the limit protects disk, not memory.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? MaxRequestBodySize { get; set; }

    /// <summary>
    /// The externally visible base URL used in RetrieveURL and BulkDataURI values (e.g. <c>https://pacs.example.org</c>
    /// behind a reverse proxy); when empty the request's scheme, host and path base are used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Change feed page size when the request gives no <c>limit</c>.</summary>
    [Range(1, 100_000)]
    public int ChangeFeedDefaultLimit { get; set; } = 100;

    /// <summary>Largest change feed page a request may ask for.</summary>
    [Range(1, 100_000)]
    public int ChangeFeedMaxLimit { get; set; } = 1000;

    /// <summary>Longest side of a <c>/thumbnail</c> image when the request gives no <c>viewport</c>.</summary>
    [Range(1, 4096)]
    public int ThumbnailSize { get; set; } = 128;

    /// <summary>JPEG quality (1-100) for <c>/rendered</c> and <c>/thumbnail</c> when the request gives no <c>quality</c>.</summary>
    [Range(1, 100)]
    public int DefaultJpegQuality { get; set; } = 90;
}
