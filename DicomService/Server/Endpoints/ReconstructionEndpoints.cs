using System.Text.Json;
using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;
using FedNano.DicomService.Jobs;
using FedNano.DicomService.Security;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Workflows;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Endpoints;

/// <summary>The reconstruction jobs API under <c>/api/reconstructions</c>.</summary>
public static class ReconstructionEndpoints
{
    /// <summary>Route prefix of the jobs API.</summary>
    public const string RoutePrefix = "/api/reconstructions";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Maps create, list, get, cancel and retry; all require <see cref="AuthenticationSetup.ClientPolicy"/>.</summary>
    public static RouteGroupBuilder MapReconstructions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RoutePrefix).RequireAuthorization(AuthenticationSetup.ClientPolicy).WithTags("Reconstruction jobs");
        group.MapPost("", CreateAsync).WithName("CreateReconstruction")
            .WithSummary("Reconstruct a stored raw projection series")
            .WithDescription("Body: {studyInstanceUid, seriesInstanceUid, method (dual-domain | ssr-fbp | 360li | 180li), model, sliceSpacingMm, sliceThicknessMm, fieldOfViewMm, matrixSize}. 202 with the queued job; 400 bad body, 404 unknown series, 422 not projection data.")
            .Accepts<ReconstructionJobRequest>("application/json")
            .Produces<JobView>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(422);
        group.MapGet("", List).WithName("ListReconstructions").WithSummary("List jobs, newest first (?status=queued|running|succeeded|failed|cancelled, ?series=, ?limit=, ?offset=)")
            .Produces<JobView[]>().ProducesProblem(400);
        group.MapGet("/{id}", Get).WithName("GetReconstruction").WithSummary("One job: status, progress, stage, reason, output series").Produces<JobView>().ProducesProblem(404);
        group.MapPost("/{id}/cancel", Cancel).WithName("CancelReconstruction").WithSummary("Cancel a queued or running job (409 when it has finished)")
            .Produces<JobView>().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id}/retry", Retry).WithName("RetryReconstruction").WithSummary("Queue a failed or cancelled job again (409 otherwise)")
            .Produces<JobView>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        return group;
    }

    /// <summary>A job as the API shows it.</summary>
    public sealed record JobView(string Id, string Status, double Progress, string? Stage, string? Reason, string StudyInstanceUid,
        string SeriesInstanceUid, string Method, string? Model, double SliceSpacingMm, double? SliceThicknessMm, double? FieldOfViewMm,
        int? MatrixSize, string Trigger, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
        string OutputSeriesInstanceUid, string? OutputSeriesUrl, int? Slices, IReadOnlyDictionary<string, double>? StageSeconds, string Url);

    private static JobView View(HttpContext c, ReconstructionJob j)
    {
        var baseUrl = $"{c.Request.Scheme}://{c.Request.Host}{c.Request.PathBase}";
        return new JobView(j.Id, j.Status.ToString().ToLowerInvariant(), Math.Round(j.ProgressPercent, 1), j.Stage, j.Reason, j.StudyInstanceUid,
            j.SeriesInstanceUid, j.Method, j.Model, j.SliceSpacingMm, j.SliceThicknessMm, j.FieldOfViewMm, j.MatrixSize, j.Trigger, j.Attempts,
            j.CreatedAt, j.StartedAt, j.FinishedAt, j.OutputSeriesInstanceUid,
            j.Status == ReconstructionJobStatus.Succeeded ? $"{baseUrl}{DicomWebUrls.RoutePrefix}/studies/{j.StudyInstanceUid}/series/{j.OutputSeriesInstanceUid}" : null,
            j.Slices, j.StageSeconds, $"{baseUrl}{RoutePrefix}/{j.Id}");
    }

    private static IResult Ok(HttpContext c, ReconstructionJob j, int status = 200) => Results.Json(View(c, j), Json, "application/json", status);

    private static async Task<IResult> CreateAsync(HttpContext c, ReconstructionJobStore jobs, ReconstructionWorker worker,
        IRetrieveService retrieve, IOptions<ReconstructionOptions> options)
    {
        if (c.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return ProblemResponses.Result(c, 415, "Unsupported Media Type", $"The body must be application/json, not '{c.Request.ContentType}'.");
        ReconstructionJobRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ReconstructionJobRequest>(c.Request.Body, Json, c.RequestAborted);
        }
        catch (JsonException e)
        {
            return ProblemResponses.Result(c, 400, "Bad Request", $"The body is not a valid reconstruction request: {e.Message}");
        }
        if (body is null) return ProblemResponses.Result(c, 400, "Bad Request", "The body is empty.");
        foreach (var (name, uid) in new[] { ("studyInstanceUid", body.StudyInstanceUid), ("seriesInstanceUid", body.SeriesInstanceUid) })
        {
            if (string.IsNullOrWhiteSpace(uid)) return ProblemResponses.Result(c, 400, "Bad Request", $"{name} is required.");
            if (DicomUid.Validate(uid) is { } problem) return ProblemResponses.Result(c, 400, "Bad Request", $"{name} '{uid}' is not a valid UID: {problem}.");
        }
        var o = options.Value;
        string method = (body.Method ?? o.DefaultMethod).Trim().ToLowerInvariant();
        if (body.Model is { } model && (model.Length > 128 || model.IndexOfAny(['/', '\\']) >= 0 || model.StartsWith('.') || !model.EndsWith(".ckpt", StringComparison.Ordinal)))
            return ProblemResponses.Result(c, 400, "Bad Request", $"model '{model}' must be the file name of a .ckpt in the model directory (no path).");
        if (body.Model is not null && method != "dual-domain")
            return ProblemResponses.Result(c, 400, "Bad Request", $"model applies to the dual-domain method only, not '{method}'.");
        var request = new ScanReconstructionRequest(method, body.Model, body.SliceSpacingMm ?? o.DefaultSliceSpacingMm, body.SliceThicknessMm,
            body.FieldOfViewMm, body.MatrixSize);
        try
        {
            request.Validate();
        }
        catch (ArgumentException e)
        {
            return ProblemResponses.Result(c, 400, "Bad Request", e.Message);
        }
        IReadOnlyList<StoredInstance> stored;
        try
        {
            stored = await retrieve.FindAsync(body.StudyInstanceUid!, body.SeriesInstanceUid!, null, c.RequestAborted);
        }
        catch (ResourceNotFoundException)
        {
            return ProblemResponses.Result(c, 404, "Not Found", $"Series {body.SeriesInstanceUid} of study {body.StudyInstanceUid} is not stored.");
        }
        var metadata = await retrieve.GetMetadataAsync(stored[0], c.RequestAborted);
        if (!DicomCtPdReader.IsProjectionInstance(metadata))
            return ProblemResponses.Result(c, 422, "Unprocessable Content",
                $"Series {body.SeriesInstanceUid} is not DICOM-CT-PD projection data (its instances lack the detector arrangement and dynamics private elements).");
        var job = jobs.Create(body.StudyInstanceUid!, body.SeriesInstanceUid!, method, body.Model, request.SliceSpacingMm, body.SliceThicknessMm,
            body.FieldOfViewMm, body.MatrixSize, "api", DicomUid.Generate())!;
        worker.Notify();
        c.Response.Headers.Location = View(c, job).Url;
        return Ok(c, job, StatusCodes.Status202Accepted);
    }

    private static IResult List(HttpContext c, ReconstructionJobStore jobs, string? status, string? series, int? limit, int? offset)
    {
        ReconstructionJobStatus? filter = null;
        if (status is not null)
        {
            if (!ReconstructionJobStore.TryParseStatus(status, out var s))
                return ProblemResponses.Result(c, 400, "Bad Request", $"Unknown status '{status}'; use queued, running, succeeded, failed or cancelled.");
            filter = s;
        }
        if (limit is < 1 or > 1000 || offset is < 0)
            return ProblemResponses.Result(c, 400, "Bad Request", "limit must lie in 1..1000 and offset must not be negative.");
        return Results.Json(jobs.List(filter, series, limit ?? 100, offset ?? 0).Select(j => View(c, j)).ToArray(), Json);
    }

    private static IResult Get(HttpContext c, ReconstructionJobStore jobs, string id) =>
        jobs.Get(id) is { } job ? Ok(c, job) : NotFound(c, id);

    private static IResult Cancel(HttpContext c, ReconstructionJobStore jobs, ReconstructionWorker worker, string id)
    {
        if (jobs.Get(id) is null) return NotFound(c, id);
        if (!jobs.Cancel(id, "Cancelled by request."))
            return ProblemResponses.Result(c, 409, "Conflict", $"Job {id} has already finished ({jobs.Get(id)!.Status.ToString().ToLowerInvariant()}).");
        worker.CancelRunning(id);
        return Ok(c, jobs.Get(id)!);
    }

    private static IResult Retry(HttpContext c, ReconstructionJobStore jobs, ReconstructionWorker worker, string id)
    {
        if (jobs.Get(id) is not { } job) return NotFound(c, id);
        if (!jobs.Retry(id))
            return ProblemResponses.Result(c, 409, "Conflict", $"Job {id} is {job.Status.ToString().ToLowerInvariant()}; only failed or cancelled jobs can be retried.");
        worker.Notify();
        return Ok(c, jobs.Get(id)!, StatusCodes.Status202Accepted);
    }

    private static IResult NotFound(HttpContext c, string id) => ProblemResponses.Result(c, 404, "Not Found", $"No reconstruction job '{id}'.");
}
