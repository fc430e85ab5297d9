using System.Net;

namespace FedNano.PacsBridge;

/// <summary>A DICOMweb server answered with an error status (or a body that is not what the standard prescribes).</summary>
public sealed class DicomWebException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomWebException(string message, HttpStatusCode? statusCode = null, string? responseBody = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The start of the response body, for the log.</summary>
    public string? ResponseBody { get; }

    /// <summary>True for statuses worth retrying later: 408, 429, 5xx other than 501/505.</summary>
    public bool IsTransient => StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)StatusCode >= 500 && StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));
}
