using System.Net;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>The site's PACS could not be searched or read: unreachable, an error status, or a response that is not DICOMweb.</summary>
/// <param name="message">What failed, with the URL and the server's words.</param>
/// <param name="status">The HTTP status, when a response came.</param>
/// <param name="inner">The underlying failure.</param>
public sealed class PacsException(string message, HttpStatusCode? status = null, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>The HTTP status, or null when no response came.</summary>
    public HttpStatusCode? Status { get; } = status;
}
