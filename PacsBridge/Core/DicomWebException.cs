using System.Net;

namespace FedNano.PacsBridge;

/// <summary>A DICOMweb server answered with an error status (or a body that is not what the standard prescribes).</summary>
public sealed class DicomWebException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="statusCode">The HTTP status, when the server answered.</param>
    /// <param name="responseBody">The start of the response body.</param>
    /// <param name="inner">The cause.</param>
    /// <param name="transient">Overrides the status-based <see cref="IsTransient"/> (e.g. a 200 response whose body broke off).</param>
    public DicomWebException(string message, HttpStatusCode? statusCode = null, string? responseBody = null, Exception? inner = null, bool? transient = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
        _transient = transient;
    }

    private readonly bool? _transient;

    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The start of the response body, for the log.</summary>
    public string? ResponseBody { get; }

    /// <summary>True for statuses worth retrying later: 408, 429, 5xx other than 501/505.</summary>
    public bool IsTransient => _transient ?? StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)StatusCode >= 500 && StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));
}
