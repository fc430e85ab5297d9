namespace FedNano.DicomService.Jobs;

/// <summary>The body of <c>POST /api/reconstructions</c>: which raw series, and optionally how.</summary>
public sealed record ReconstructionJobRequest
{
    /// <summary>Study Instance UID of the raw projection series.</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Series Instance UID of the raw projection series.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>dual-domain (default), ssr-fbp, 360li or 180li.</summary>
    public string? Method { get; init; }

    /// <summary>dual-domain: file name of a checkpoint in the model directory (default: the shipped model).</summary>
    public string? Model { get; init; }

    /// <summary>Slice spacing (mm, default 1.5).</summary>
    public double? SliceSpacingMm { get; init; }

    /// <summary>Slice thickness (mm, default: the spacing).</summary>
    public double? SliceThicknessMm { get; init; }

    /// <summary>Analytic methods: field of view (mm, default 400).</summary>
    public double? FieldOfViewMm { get; init; }

    /// <summary>Analytic methods: pixels per side (default 256).</summary>
    public int? MatrixSize { get; init; }
}
