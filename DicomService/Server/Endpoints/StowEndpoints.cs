using System.Text;
using FedNano.Dicom;
using FedNano.DicomService.Configuration;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;
using FedNano.DicomService.Stow;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Endpoints;

/// <summary>STOW-RS (PS3.18 §10.5): <c>POST /studies</c> and <c>POST /studies/{study}</c>.</summary>
public static class StowEndpoints
{
    private const string RequestMediaType = "multipart/related; type=\"application/dicom\"";
    private const int MaxWarningHeaders = 20;

    /// <summary>Maps the STOW-RS routes on the DICOMweb group.</summary>
    public static void MapStow(this IEndpointRouteBuilder group)
    {
        Document(group.MapPost("/studies", (HttpContext context, IStoreService store, IOptions<StorageOptions> storage,
                IOptions<DicomWebOptions> web, ILoggerFactory logs) => StoreAsync(context, null, store, storage.Value, web.Value, logs)))
            .WithName("StoreInstances")
            .WithSummary("Store instances (STOW-RS)")
            .WithDescription("Stores the Part 10 instances of a multipart/related request; each part is streamed to disk. " +
                "200 all stored, 202 some failed or carry warnings, 409 none stored because of a conflict, 400 none stored because the data is malformed or the request has no parts, 415 wrong Content-Type.");

        Document(group.MapPost("/studies/{study}", (string study, HttpContext context, IStoreService store, IOptions<StorageOptions> storage,
                IOptions<DicomWebOptions> web, ILoggerFactory logs) => StoreAsync(context, study, store, storage.Value, web.Value, logs)))
            .WithName("StoreStudyInstances")
            .WithSummary("Store instances of one study (STOW-RS)")
            .WithDescription("As POST /studies, but every instance must belong to the study of the URL (others fail with 0xA900; 409 when none is stored).");
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder builder) => builder
        .WithTags("STOW-RS")
        .WithStreamedBody(RequestMediaType, "Part 10 instances, one per part (the type parameter may be quoted or not; chunked transfer encoding allowed).")
        .WithAccept(DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson)
        .Produces(StatusCodes.Status200OK, null, DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson)
        .Produces(StatusCodes.Status202Accepted, null, DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson)
        .Produces(StatusCodes.Status409Conflict, null, DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson)
        .Produces(StatusCodes.Status400BadRequest, null, DicomWebMediaTypes.ApplicationDicomJson, ProblemResponses.MediaType)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status406NotAcceptable)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<IResult> StoreAsync(HttpContext context, string? study, IStoreService store, StorageOptions storage,
        DicomWebOptions web, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(StowEndpoints));
        var cancellationToken = context.RequestAborted;

        // 415 before anything else: the body is only read when it is what we store.
        var contentType = context.Request.ContentType;
        if (!MediaTypeValue.TryParse(contentType, out var mediaType)
            || !DicomWebMediaTypes.IsMultipartRelated(mediaType, DicomWebMediaTypes.ApplicationDicom))
            return ProblemResponses.Result(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                $"STOW-RS requires Content-Type {RequestMediaType} with a boundary; got '{contentType ?? "(none)"}'.");
        string boundary;
        try
        {
            boundary = MultipartRelatedReader.GetBoundary(mediaType);
        }
        catch (MultipartFormatException e)
        {
            return ProblemResponses.Result(context, StatusCodes.Status400BadRequest, "Bad Request", e.Message);
        }
        var responseType = Negotiation.ChooseJson(context.Request, "The STOW-RS response");

        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = web.MaxRequestBodySize;

        Directory.CreateDirectory(storage.StagingPath);
        var parts = new List<StagedPart>();
        try
        {
            var reader = new MultipartRelatedReader(context.Request.Body, boundary);
            try
            {
                while (await reader.ReadNextPartAsync(cancellationToken) is { } part)
                {
                    var path = Path.Combine(storage.StagingPath, $"{Guid.NewGuid():N}.part");
                    parts.Add(new StagedPart(path, part.ContentType));
                    await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                    await part.Body.CopyToAsync(file, 1 << 16, cancellationToken);
                }
            }
            catch (MultipartFormatException e)
            {
                return ProblemResponses.Result(context, StatusCodes.Status400BadRequest, "Bad Request",
                    $"The multipart body is malformed (after {parts.Count} part(s)): {e.Message}");
            }
            if (parts.Count == 0)
                return ProblemResponses.Result(context, StatusCodes.Status400BadRequest, "Bad Request",
                    "The STOW-RS request contains no parts; send at least one application/dicom part.");

            var result = await store.StoreAsync(parts, study, cancellationToken);
            var response = StowResponse.Build(result, DicomWebUrls.For(context, web));
            logger.LogInformation("STOW-RS: {Stored} stored, {Failed} failed of {Parts} part(s) → {Status}.",
                response.StoredCount, response.FailedCount, parts.Count, response.StatusCode);
            var agent = context.Request.Host.HasValue ? context.Request.Host.Value : "fednano";
            foreach (var message in response.Messages.Take(MaxWarningHeaders))
                context.Response.Headers.Append("Warning", WarningHeader(agent!, message));
            return DicomJsonResult.Object(response.StatusCode, responseType.ToString(), response.Dataset);
        }
        finally
        {
            // The store service moved or deleted what it took over; anything left (an aborted upload) goes.
            foreach (var part in parts)
            {
                try { File.Delete(part.FilePath); }
                catch (IOException e) { logger.LogWarning(e, "Could not delete staging file {Path}.", part.FilePath); }
            }
        }
    }

    /// <summary><c>299 {agent} "text"</c> with the text reduced to printable ASCII and quotes escaped.</summary>
    internal static string WarningHeader(string agent, string text)
    {
        var sb = new StringBuilder(text.Length + agent.Length + 8);
        sb.Append("299 ").Append(agent).Append(": \"");
        foreach (var c in text.Length > 500 ? text[..500] : text)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~') sb.Append(c);
            else sb.Append('?');
        }
        return sb.Append('"').ToString();
    }
}
