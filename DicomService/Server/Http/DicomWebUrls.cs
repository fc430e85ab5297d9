using FedNano.DicomService.Configuration;
using FedNano.DicomService.Core;

namespace FedNano.DicomService.Http;

/// <summary>Absolute DICOMweb URLs (RetrieveURL, BulkDataURI) for a request.</summary>
/// <param name="Root">The DICOMweb root without a trailing slash, e.g. <c>http://localhost:5080/dicomweb</c>.</param>
public sealed record DicomWebUrls(string Root)
{
    /// <summary>The route prefix of every DICOMweb endpoint.</summary>
    public const string RoutePrefix = "/dicomweb";

    /// <summary>URLs for <paramref name="context"/>: from <see cref="DicomWebOptions.PublicBaseUrl"/> when set, else the request's scheme, host and path base.</summary>
    public static DicomWebUrls For(HttpContext context, DicomWebOptions options)
    {
        var baseUrl = string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host.ToUriComponent()}{context.Request.PathBase.ToUriComponent()}"
            : options.PublicBaseUrl.Trim();
        return new DicomWebUrls(baseUrl.TrimEnd('/') + RoutePrefix);
    }

    /// <summary><c>{root}/studies/{study}</c>.</summary>
    public string Study(string studyInstanceUid) => $"{Root}/studies/{Escape(studyInstanceUid)}";

    /// <summary><c>{root}/studies/{study}/series/{series}</c>.</summary>
    public string Series(string studyInstanceUid, string seriesInstanceUid) => $"{Study(studyInstanceUid)}/series/{Escape(seriesInstanceUid)}";

    /// <summary><c>{root}/studies/{study}/series/{series}/instances/{instance}</c>.</summary>
    public string Instance(InstanceKey key) => $"{Series(key.StudyInstanceUid, key.SeriesInstanceUid)}/instances/{Escape(key.SopInstanceUid)}";

    /// <summary>A URI relative to an instance URL (e.g. <c>bulkdata/7FE00010</c>) made absolute; absolute URIs are returned as they are.</summary>
    public string ResolveInstanceRelative(InstanceKey key, string relative)
    {
        if (Uri.TryCreate(relative, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") return relative;
        return $"{Instance(key)}/{relative.TrimStart('/')}";
    }

    private static string Escape(string uid) => Uri.EscapeDataString(uid);
}
