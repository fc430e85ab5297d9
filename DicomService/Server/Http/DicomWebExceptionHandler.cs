using FedNano.Dicom;
using FedNano.DicomService.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace FedNano.DicomService.Http;

/// <summary>
/// Turns every exception into problem+json: Core's request/not-found/not-acceptable exceptions become 400/404/406
/// with their message as <c>detail</c>; anything else is logged and answered with a generic 500 (never a stack trace).
/// </summary>
public sealed class DicomWebExceptionHandler(ILogger<DicomWebExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away (cancelled, connection reset mid-upload or mid-download): nobody to answer.
            logger.LogDebug("{Method} {Path} aborted by the client ({Error}).", httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
            return true;
        }
        var (status, title, detail) = Map(exception);
        if (status >= 500)
            logger.LogError(exception, "Unhandled error for {Method} {Path}.", httpContext.Request.Method, httpContext.Request.Path);
        else
            logger.LogInformation("{Method} {Path}: {Status} {Detail}", httpContext.Request.Method, httpContext.Request.Path, status, detail);
        if (httpContext.Response.HasStarted)
        {
            // Too late for a problem body (e.g. a multipart response already streaming): abort the connection so
            // the client sees a truncated response rather than a silently incomplete one.
            httpContext.Abort();
            return true;
        }
        await ProblemResponses.WriteAsync(httpContext, status, title, detail);
        return true;
    }

    /// <summary>Status, title and client-safe detail for an exception.</summary>
    internal static (int Status, string Title, string Detail) Map(Exception exception) => exception switch
    {
        InvalidRequestException e => (StatusCodes.Status400BadRequest, "Bad Request", e.Message),
        ResourceNotFoundException e => (StatusCodes.Status404NotFound, "Not Found", e.Message),
        NotAcceptableException e => (StatusCodes.Status406NotAcceptable, "Not Acceptable", e.Message),
        BadHttpRequestException e => (e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Content Too Large" : "Bad Request", e.Message),
        DicomDataException e => (StatusCodes.Status422UnprocessableEntity, "Unprocessable Content", "The stored DICOM data cannot be processed: " + e.Message),
        _ => (StatusCodes.Status500InternalServerError, "Internal Server Error", "An unexpected error occurred; the server log has the details (trace id in this response)."),
    };
}
