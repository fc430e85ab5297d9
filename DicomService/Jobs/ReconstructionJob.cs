namespace FedNano.DicomService.Jobs;

/// <summary>One reconstruction of a raw projection series into a CT image series, as persisted.</summary>
/// <param name="Id">Job id (32 hex digits).</param>
/// <param name="StudyInstanceUid">Study of the raw series (the output joins it).</param>
/// <param name="SeriesInstanceUid">The raw projection series.</param>
/// <param name="Method">dual-domain, ssr-fbp, 360li or 180li.</param>
/// <param name="Model">dual-domain: the checkpoint's file name, or null for the shipped model.</param>
/// <param name="SliceSpacingMm">Slice spacing (mm).</param>
/// <param name="SliceThicknessMm">Slice thickness (mm), or null for the spacing.</param>
/// <param name="FieldOfViewMm">Analytic methods: field of view (mm), or null for 400.</param>
/// <param name="MatrixSize">Analytic methods: pixels per side, or null for 256.</param>
/// <param name="Trigger">"auto" (raw series detected) or "api" (requested).</param>
/// <param name="Status">Life-cycle state.</param>
/// <param name="ProgressPercent">0–100.</param>
/// <param name="Stage">What it is doing now (or did last).</param>
/// <param name="Reason">Why it failed or was cancelled.</param>
/// <param name="OutputSeriesInstanceUid">The CT series it writes (fixed at creation, so a re-run replaces rather than duplicates).</param>
/// <param name="Attempts">How many times a worker started it.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="StartedAt">When the latest attempt started.</param>
/// <param name="FinishedAt">When it reached a final state.</param>
/// <param name="Slices">Slices written (after success).</param>
/// <param name="StageSeconds">Seconds per stage of the latest attempt, in the order they ran (read raw series, set-up, rebinning, projection CNN, FBP, image CNN, other, DICOM writing, store).</param>
public sealed record ReconstructionJob(
    string Id,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string Method,
    string? Model,
    double SliceSpacingMm,
    double? SliceThicknessMm,
    double? FieldOfViewMm,
    int? MatrixSize,
    string Trigger,
    ReconstructionJobStatus Status,
    double ProgressPercent,
    string? Stage,
    string? Reason,
    string OutputSeriesInstanceUid,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? Slices,
    IReadOnlyDictionary<string, double>? StageSeconds)
{
    /// <summary>True for succeeded, failed and cancelled.</summary>
    public bool IsFinal => Status is ReconstructionJobStatus.Succeeded or ReconstructionJobStatus.Failed or ReconstructionJobStatus.Cancelled;
}
