using System.Globalization;
using FedNano.Dicom;
using FedNano.DicomService.Configuration;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Endpoints;

/// <summary>
/// WADO-RS (PS3.18 §10.4): instances as multipart application/dicom, metadata, frames, bulk data, rendered images and
/// thumbnails.
/// </summary>
public static class WadoEndpoints
{
    private static readonly MediaTypeValue DicomFamily = DicomWebMediaTypes.Multipart(DicomWebMediaTypes.ApplicationDicom);
    private static readonly MediaTypeValue OctetFamily = DicomWebMediaTypes.Multipart(DicomWebMediaTypes.ApplicationOctetStream);
    private static readonly MediaTypeValue[] ImageRepresentations = [new(DicomWebMediaTypes.ImagePng), new(DicomWebMediaTypes.ImageJpeg)];

    /// <summary>Maps the WADO-RS routes on the DICOMweb group.</summary>
    public static void MapWado(this IEndpointRouteBuilder group)
    {
        // ---- instances (multipart application/dicom)
        DocumentRetrieve(group.MapGet("/studies/{study}", (string study, HttpContext c, IRetrieveService r) =>
                RetrieveAsync(c, r, study, null, null)))
            .WithName("RetrieveStudy").WithSummary("Retrieve the instances of a study (WADO-RS)");
        DocumentRetrieve(group.MapGet("/studies/{study}/series/{series}", (string study, string series, HttpContext c, IRetrieveService r) =>
                RetrieveAsync(c, r, study, series, null)))
            .WithName("RetrieveSeries").WithSummary("Retrieve the instances of a series (WADO-RS)");
        DocumentRetrieve(group.MapGet("/studies/{study}/series/{series}/instances/{instance}", (string study, string series, string instance, HttpContext c, IRetrieveService r) =>
                RetrieveAsync(c, r, study, series, instance)))
            .WithName("RetrieveInstance").WithSummary("Retrieve one instance (WADO-RS)");

        // ---- metadata
        DocumentMetadata(group.MapGet("/studies/{study}/metadata", (string study, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                MetadataAsync(c, r, o.Value, study, null, null)))
            .WithName("RetrieveStudyMetadata").WithSummary("Metadata of the instances of a study (WADO-RS)");
        DocumentMetadata(group.MapGet("/studies/{study}/series/{series}/metadata", (string study, string series, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                MetadataAsync(c, r, o.Value, study, series, null)))
            .WithName("RetrieveSeriesMetadata").WithSummary("Metadata of the instances of a series (WADO-RS)");
        DocumentMetadata(group.MapGet("/studies/{study}/series/{series}/instances/{instance}/metadata", (string study, string series, string instance, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                MetadataAsync(c, r, o.Value, study, series, instance)))
            .WithName("RetrieveInstanceMetadata").WithSummary("Metadata of one instance (WADO-RS)");

        // ---- frames and bulk data
        group.MapGet("/studies/{study}/series/{series}/instances/{instance}/frames/{frames}", (string study, string series, string instance, string frames, HttpContext c, IRetrieveService r) =>
                FramesAsync(c, r, study, series, instance, frames))
            .WithName("RetrieveFrames").WithSummary("Retrieve frames of an instance (WADO-RS)")
            .WithDescription("Frames by 1-based number (comma list), one multipart part each, served from the offsets computed at ingest. " +
                "Native pixel data comes as Explicit VR Little Endian; transfer-syntax=* gives compressed frames as stored. 404 for a frame that does not exist.")
            .WithTags("WADO-RS")
            .WithAccept("multipart/related; type=\"application/octet-stream\"", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*", "*/*")
            .Produces(StatusCodes.Status200OK, null, "multipart/related")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable);

        group.MapGet("/studies/{study}/series/{series}/instances/{instance}/bulkdata/{**path}", (string study, string series, string instance, string path, HttpContext c, IRetrieveService r, IBulkDataService b) =>
                BulkDataAsync(c, r, b, study, series, instance, path))
            .WithName("RetrieveBulkData").WithSummary("Retrieve a bulk data value of an instance (WADO-RS)")
            .WithDescription("The value a metadata BulkDataURI points at: a tag path (e.g. 7FE00010, or SEQUENCE/ITEM/TAG for nested values) as one application/octet-stream part; " +
                "encapsulated pixel data comes as one part per frame.")
            .WithTags("WADO-RS")
            .WithAccept("multipart/related; type=\"application/octet-stream\"", "*/*")
            .Produces(StatusCodes.Status200OK, null, "multipart/related")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable);

        // ---- rendered and thumbnails
        DocumentImage(group.MapGet("/studies/{study}/series/{series}/instances/{instance}/rendered", (string study, string series, string instance, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                RenderAsync(c, r, o.Value, study, series, instance, null, thumbnail: false)), thumbnail: false)
            .WithName("RenderInstance").WithSummary("Render an instance (first frame) as PNG or JPEG (WADO-RS)");
        DocumentImage(group.MapGet("/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered", (string study, string series, string instance, string frame, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                RenderAsync(c, r, o.Value, study, series, instance, frame, thumbnail: false)), thumbnail: false)
            .WithName("RenderFrame").WithSummary("Render one frame as PNG or JPEG (WADO-RS)");
        DocumentImage(group.MapGet("/studies/{study}/thumbnail", (string study, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                RenderAsync(c, r, o.Value, study, null, null, null, thumbnail: true)), thumbnail: true)
            .WithName("StudyThumbnail").WithSummary("Thumbnail of a study (WADO-RS)");
        DocumentImage(group.MapGet("/studies/{study}/series/{series}/thumbnail", (string study, string series, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                RenderAsync(c, r, o.Value, study, series, null, null, thumbnail: true)), thumbnail: true)
            .WithName("SeriesThumbnail").WithSummary("Thumbnail of a series (WADO-RS)");
        DocumentImage(group.MapGet("/studies/{study}/series/{series}/instances/{instance}/thumbnail", (string study, string series, string instance, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                RenderAsync(c, r, o.Value, study, series, instance, null, thumbnail: true)), thumbnail: true)
            .WithName("InstanceThumbnail").WithSummary("Thumbnail of an instance (WADO-RS)");
        DocumentImage(group.MapGet("/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/thumbnail", (string study, string series, string instance, string frame, HttpContext c, IRetrieveService r, IOptions<DicomWebOptions> o) =>
                RenderAsync(c, r, o.Value, study, series, instance, frame, thumbnail: true)), thumbnail: true)
            .WithName("FrameThumbnail").WithSummary("Thumbnail of one frame (WADO-RS)");
    }

    private static RouteHandlerBuilder DocumentRetrieve(RouteHandlerBuilder builder) => builder
        .WithTags("WADO-RS")
        .WithDescription("Part 10 instances as multipart/related; type=\"application/dicom\", streamed part by part. Default transfer syntax Explicit VR Little Endian; " +
            "transfer-syntax=* returns each instance as stored; any syntax the codec writes (Implicit/Explicit VR Little Endian, Deflated, RLE Lossless) is transcoded to; 406 otherwise.")
        .WithAccept("multipart/related; type=\"application/dicom\"", "multipart/related; type=\"application/dicom\"; transfer-syntax=*",
            "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5", "*/*")
        .Produces(StatusCodes.Status200OK, null, "multipart/related")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status406NotAcceptable);

    private static RouteHandlerBuilder DocumentMetadata(RouteHandlerBuilder builder) => builder
        .WithTags("WADO-RS")
        .WithDescription("DICOM JSON array of the instances' metadata (computed at ingest); Pixel Data and large binary values are absolute BulkDataURIs.")
        .WithAccept(DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson, "*/*")
        .Produces(StatusCodes.Status200OK, null, DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status406NotAcceptable);

    private static RouteHandlerBuilder DocumentImage(RouteHandlerBuilder builder, bool thumbnail) => builder
        .WithTags("WADO-RS")
        .WithDescription(thumbnail
            ? "A small rendering (the middle instance of a study or series, its first frame) as PNG (default) or JPEG; viewport overrides the configured size."
            : "The frame rendered through the modality LUT and a VOI window as PNG (default) or JPEG.")
        .WithAccept(DicomWebMediaTypes.ImagePng, DicomWebMediaTypes.ImageJpeg, "*/*")
        .WithQueryParameter("window", "VOI window: center,width[,function] with function LINEAR, LINEAR_EXACT or SIGMOID (default: the dataset's first window, else min/max).", "40,400,LINEAR")
        .WithQueryParameter("viewport", "Scale down to fit vw,vh pixels, keeping the aspect ratio.", "256,256")
        .WithQueryParameter("quality", "JPEG quality 1-100.", "90")
        .Produces(StatusCodes.Status200OK, null, DicomWebMediaTypes.ImagePng, DicomWebMediaTypes.ImageJpeg)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status406NotAcceptable);

    // ------------------------------------------------------------------ instances

    private static async Task RetrieveAsync(HttpContext context, IRetrieveService retrieve, string study, string? series, string? instance)
    {
        var cancellationToken = context.RequestAborted;
        var accept = Negotiation.Accept(context.Request);
        var instances = await retrieve.FindAsync(study, series, instance, cancellationToken);

        // Negotiate every instance before the first byte goes out, so a 406 is still possible.
        var plan = new List<(StoredInstance Instance, string TransferSyntax)>(instances.Count);
        foreach (var stored in instances)
        {
            var match = accept.NegotiateTransferSyntax([DicomFamily], stored.TransferSyntaxUid, Negotiation.ProducibleFrom(stored.TransferSyntaxUid));
            if (match?.TransferSyntax is not { } syntax)
                throw new NotAcceptableException(
                    $"Instance {stored.Key.SopInstanceUid} is stored as {stored.TransferSyntaxUid} and cannot be converted to what the Accept header '{context.Request.Headers.Accept}' allows; " +
                    $"ask for transfer-syntax=* or one of {string.Join(", ", Negotiation.ProducibleFrom(stored.TransferSyntaxUid).DefaultIfEmpty(stored.TransferSyntaxUid))}.");
            plan.Add((stored, syntax));
        }

        var single = plan.Select(p => p.TransferSyntax).Distinct(StringComparer.Ordinal).Count() == 1 ? plan[0].TransferSyntax : null;
        var writer = new MultipartRelatedWriter(context.Response.Body, DicomWebMediaTypes.ApplicationDicom,
            parameters: single is null ? null : [new(DicomWebMediaTypes.TransferSyntaxParameter, single)]);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = writer.ContentType;
        foreach (var (stored, syntax) in plan)
        {
            var partType = new MediaTypeValue(DicomWebMediaTypes.ApplicationDicom, [new(DicomWebMediaTypes.TransferSyntaxParameter, syntax)]).ToString();
            if (syntax == stored.TransferSyntaxUid)
            {
                await using var content = retrieve.OpenInstance(stored);
                await writer.WritePartAsync(content, partType, cancellationToken: cancellationToken);
            }
            else
            {
                await InstanceFiles.CopyTranscodedAsync(retrieve, stored, DicomTransferSyntax.Parse(syntax),
                    content => writer.WritePartAsync(content, partType, cancellationToken: cancellationToken), cancellationToken);
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }

    // ------------------------------------------------------------------ metadata

    private static async Task MetadataAsync(HttpContext context, IRetrieveService retrieve, DicomWebOptions options, string study, string? series, string? instance)
    {
        var responseType = Negotiation.ChooseJson(context.Request, "Metadata");
        var cancellationToken = context.RequestAborted;
        var instances = await retrieve.FindAsync(study, series, instance, cancellationToken);
        var urls = DicomWebUrls.For(context, options);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = responseType.ToString();
        await DicomJsonStreaming.WriteArrayAsync(context.Response, Enumerate(), cancellationToken);

        async IAsyncEnumerable<(DicomDataset, DicomJsonOptions)> Enumerate()
        {
            foreach (var stored in instances)
            {
                var metadata = await retrieve.GetMetadataAsync(stored, cancellationToken);
                var key = stored.Key;
                yield return (metadata, new DicomJsonOptions
                {
                    BulkDataUriResolver = (_, item) => item is DicomElement { Value: BulkDataUriByteSource bulk }
                        ? urls.ResolveInstanceRelative(key, bulk.Uri)
                        : null,
                });
            }
        }
    }

    // ------------------------------------------------------------------ frames

    private static async Task FramesAsync(HttpContext context, IRetrieveService retrieve, string study, string series, string instance, string frameList)
    {
        var cancellationToken = context.RequestAborted;
        var numbers = ParseFrameList(frameList);
        var accept = Negotiation.Accept(context.Request);
        var stored = await FindOneAsync(retrieve, study, series, instance, cancellationToken);
        if (stored.FrameCount == 0)
            throw new ResourceNotFoundException($"Instance {instance} has no pixel data, so it has no frames.");
        var missing = numbers.Where(n => n > stored.FrameCount).ToArray();
        if (missing.Length > 0)
            throw new ResourceNotFoundException($"Instance {instance} has {stored.FrameCount} frame(s); frame {string.Join(", ", missing)} does not exist.");

        // What the frames are "as stored": native data (whatever the dataset encoding) is Explicit VR Little Endian.
        var storedSyntax = DicomTransferSyntax.TryParse(stored.TransferSyntaxUid, out var ts) ? ts : null;
        // (Core serves native frames of deflated or big endian files as little endian too.)
        var native = storedSyntax is not null && !storedSyntax.IsEncapsulated;
        var asStored = native ? DicomWebMediaTypes.ExplicitVRLittleEndian : stored.TransferSyntaxUid;
        var canDecode = storedSyntax == DicomTransferSyntax.RLELossless;
        string[] producible = native || canDecode ? [DicomWebMediaTypes.ExplicitVRLittleEndian] : [];
        var match = accept.NegotiateTransferSyntax([OctetFamily], asStored, producible);
        if (match?.TransferSyntax is not { } syntax)
            throw new NotAcceptableException(
                $"The frames of instance {instance} are stored as {stored.TransferSyntaxUid}; the Accept header '{context.Request.Headers.Accept}' allows neither that " +
                $"(transfer-syntax=*) nor {(producible.Length > 0 ? producible[0] : "a syntax this server can convert to")}.");

        var writer = new MultipartRelatedWriter(context.Response.Body, DicomWebMediaTypes.ApplicationOctetStream,
            parameters: [new(DicomWebMediaTypes.TransferSyntaxParameter, syntax)]);
        var partType = new MediaTypeValue(DicomWebMediaTypes.ApplicationOctetStream, [new(DicomWebMediaTypes.TransferSyntaxParameter, syntax)]).ToString();
        var urls = DicomWebUrls.For(context, context.RequestServices.GetRequiredService<IOptions<DicomWebOptions>>().Value);

        if (syntax == asStored)
        {
            var frames = await retrieve.GetFramesAsync(stored, numbers, cancellationToken);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = writer.ContentType;
            for (var i = 0; i < frames.Count; i++)
            {
                await using var content = frames[i].Content;
                await writer.WritePartAsync(content, partType, Location(urls, stored.Key, numbers[i]), cancellationToken);
            }
        }
        else
        {
            // RLE data asked for as native: decode the pixel data.
            var file = InstanceFiles.Open(retrieve, stored);
            var dataset = DicomTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
            var pixels = DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = writer.ContentType;
            foreach (var number in numbers)
                await writer.WritePartAsync(pixels.GetFrameBytes(number - 1), partType, Location(urls, stored.Key, number), cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static KeyValuePair<string, string>[] Location(DicomWebUrls urls, InstanceKey key, int frame) =>
        [new("Content-Location", $"{urls.Instance(key)}/frames/{frame.ToString(CultureInfo.InvariantCulture)}")];

    /// <summary>Parses a frame list <c>1,3,5</c> (1-based, no duplicates check needed); 400 for anything else.</summary>
    internal static int[] ParseFrameList(string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (!int.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new InvalidRequestException($"'{text}' is not a frame list: expected 1-based frame numbers separated by commas (e.g. 1,2,3).");
            numbers[i] = n;
        }
        return numbers;
    }

    private static async Task<StoredInstance> FindOneAsync(IRetrieveService retrieve, string study, string series, string instance, CancellationToken cancellationToken)
    {
        var found = await retrieve.FindAsync(study, series, instance, cancellationToken);
        return found.Count > 0 ? found[0] : throw new ResourceNotFoundException($"Instance {instance} of series {series} of study {study} does not exist.");
    }

    // ------------------------------------------------------------------ bulk data

    private static async Task BulkDataAsync(HttpContext context, IRetrieveService retrieve, IBulkDataService bulkData,
        string study, string series, string instance, string path)
    {
        var cancellationToken = context.RequestAborted;
        var accept = Negotiation.Accept(context.Request);
        var tagPath = ParseTagPath(path);
        var stored = await FindOneAsync(retrieve, study, series, instance, cancellationToken);
        var content = await bulkData.GetBulkDataAsync(stored, path, cancellationToken);
        await using var value = content.Content;
        var isPixelData = tagPath.Count == 1 && tagPath[0].Tag == DicomTags.PixelData;

        if (content.TransferSyntaxUid is { } compressed)
        {
            // Encapsulated pixel data: the compressed frames as stored, one part per frame.
            var match = accept.NegotiateTransferSyntax([OctetFamily], compressed, []);
            if (match?.TransferSyntax is not { } syntax)
                throw new NotAcceptableException($"The pixel data of instance {instance} is compressed ({compressed}); accept multipart/related; type=\"application/octet-stream\" with transfer-syntax=* or {compressed}.");
            var writer = new MultipartRelatedWriter(context.Response.Body, DicomWebMediaTypes.ApplicationOctetStream,
                parameters: [new(DicomWebMediaTypes.TransferSyntaxParameter, syntax)]);
            var partType = new MediaTypeValue(DicomWebMediaTypes.ApplicationOctetStream, [new(DicomWebMediaTypes.TransferSyntaxParameter, syntax)]).ToString();
            if (isPixelData && stored.FrameCount > 0)
            {
                var frames = await retrieve.GetFramesAsync(stored, Enumerable.Range(1, stored.FrameCount).ToArray(), cancellationToken);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = writer.ContentType;
                foreach (var frame in frames)
                {
                    await using var frameContent = frame.Content;
                    await writer.WritePartAsync(frameContent, partType, cancellationToken: cancellationToken);
                }
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = writer.ContentType;
                await writer.WritePartAsync(value, partType, cancellationToken: cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
            return;
        }

        if (accept.Negotiate([OctetFamily]) is null)
            throw new NotAcceptableException($"Bulk data is available as multipart/related; type=\"application/octet-stream\"; the Accept header '{context.Request.Headers.Accept}' does not allow it.");
        // Native pixel data is little endian whatever the stored syntax: label it Explicit VR Little Endian.
        var contentType = isPixelData
            ? new MediaTypeValue(DicomWebMediaTypes.ApplicationOctetStream, [new(DicomWebMediaTypes.TransferSyntaxParameter, DicomWebMediaTypes.ExplicitVRLittleEndian)]).ToString()
            : DicomWebMediaTypes.ApplicationOctetStream;
        var bulkWriter = new MultipartRelatedWriter(context.Response.Body, DicomWebMediaTypes.ApplicationOctetStream);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = bulkWriter.ContentType;
        await bulkWriter.WritePartAsync(value, contentType, cancellationToken: cancellationToken);
        await bulkWriter.CompleteAsync(cancellationToken);
    }

    /// <summary>One step of a bulk data tag path: a tag, and for a sequence the 0-based item index that follows it.</summary>
    internal readonly record struct TagPathStep(DicomTag Tag, int? Item);

    /// <summary>Parses <c>TAG</c>, <c>TAG/INDEX/TAG</c>, … (tags as 8 hex digits); 400 for anything else.</summary>
    internal static IReadOnlyList<TagPathStep> ParseTagPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Length % 2 == 0)
            throw new InvalidRequestException($"'{path}' is not a bulk data path: expected TAG or SEQUENCETAG/ITEM/.../TAG with tags as 8 hex digits.");
        var steps = new List<TagPathStep>();
        for (var i = 0; i < segments.Length; i += 2)
        {
            if (segments[i].Length != 8 || !DicomTag.TryParse(segments[i], out var tag))
                throw new InvalidRequestException($"'{segments[i]}' in bulk data path '{path}' is not a tag (8 hex digits).");
            int? item = null;
            if (i + 1 < segments.Length)
            {
                if (!int.TryParse(segments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    throw new InvalidRequestException($"'{segments[i + 1]}' in bulk data path '{path}' is not an item index.");
                item = index;
            }
            steps.Add(new TagPathStep(tag, item));
        }
        return steps;
    }

    // ------------------------------------------------------------------ rendered and thumbnail

    private static async Task<IResult> RenderAsync(HttpContext context, IRetrieveService retrieve, DicomWebOptions options,
        string study, string? series, string? instance, string? frameText, bool thumbnail)
    {
        var cancellationToken = context.RequestAborted;
        var format = Negotiation.Choose(context.Request, ImageRepresentations, thumbnail ? "A thumbnail" : "A rendered image");
        var query = context.Request.Query;
        var window = ParseWindow(query["window"].ToString());
        var (maxWidth, maxHeight) = ParseViewport(query["viewport"].ToString());
        if (thumbnail && maxWidth is null) (maxWidth, maxHeight) = (options.ThumbnailSize, options.ThumbnailSize);
        var quality = ParseQuality(query["quality"].ToString(), options.DefaultJpegQuality);

        var frame = 1;
        if (frameText is not null)
        {
            var numbers = ParseFrameList(frameText);
            if (numbers.Length != 1) throw new InvalidRequestException($"Rendering takes one frame number; got '{frameText}'.");
            frame = numbers[0];
        }

        var instances = await retrieve.FindAsync(study, series, instance, cancellationToken);
        var candidates = instances.Where(i => i.FrameCount > 0).ToArray();
        if (candidates.Length == 0)
            throw new ResourceNotFoundException(instance is null
                ? $"No instance of {(series is null ? "study " + study : "series " + series)} has pixel data to render."
                : $"Instance {instance} has no pixel data to render.");
        var stored = candidates[candidates.Length / 2];
        if (frame > stored.FrameCount)
            throw new ResourceNotFoundException($"Instance {stored.Key.SopInstanceUid} has {stored.FrameCount} frame(s); frame {frame} does not exist.");

        var file = InstanceFiles.Open(retrieve, stored);
        byte[] image;
        try
        {
            image = format.HasMediaType(DicomWebMediaTypes.ImageJpeg)
                ? DicomRenderer.RenderJpeg(file.Dataset, file.TransferSyntax, frame - 1, window, maxWidth, maxHeight, quality)
                : DicomRenderer.RenderPng(file.Dataset, file.TransferSyntax, frame - 1, window, maxWidth, maxHeight);
        }
        catch (DicomDataException e)
        {
            throw new NotAcceptableException($"Instance {stored.Key.SopInstanceUid} cannot be rendered: {e.Message}");
        }
        return Results.File(image, format.MediaType);
    }

    /// <summary>Parses <c>window=center,width[,function]</c>; null when absent.</summary>
    internal static DicomWindow? ParseWindow(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var center)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
            || !double.IsFinite(center) || !double.IsFinite(width))
            throw new InvalidRequestException($"window='{text}' is invalid: expected center,width[,function] with numbers, e.g. 40,400,LINEAR.");
        var function = VoiLutFunction.Linear;
        if (parts.Length == 3)
        {
            function = parts[2].ToUpperInvariant() switch
            {
                "LINEAR" => VoiLutFunction.Linear,
                "LINEAR_EXACT" => VoiLutFunction.LinearExact,
                "SIGMOID" => VoiLutFunction.Sigmoid,
                _ => throw new InvalidRequestException($"window function '{parts[2]}' is not LINEAR, LINEAR_EXACT or SIGMOID."),
            };
        }
        if (!DicomWindow.IsValidWidth(width, function))
            throw new InvalidRequestException($"window width {parts[1]} is invalid for {function} (LINEAR needs at least 1, the others more than 0).");
        return new DicomWindow(center, width, function);
    }

    /// <summary>Parses <c>viewport=vw,vh</c> (positive integers); nulls when absent.</summary>
    internal static (int? Width, int? Height) ParseViewport(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w is < 1 or > 16384 || h is < 1 or > 16384)
            throw new InvalidRequestException($"viewport='{text}' is invalid: expected vw,vh as positive integers up to 16384 (cropping parameters are not supported).");
        return (w, h);
    }

    /// <summary>Parses <c>quality</c> (1-100); <paramref name="fallback"/> when absent.</summary>
    internal static int ParseQuality(string text, int fallback)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var q) || q is < 1 or > 100)
            throw new InvalidRequestException($"quality='{text}' is invalid: expected an integer from 1 to 100.");
        return q;
    }
}
