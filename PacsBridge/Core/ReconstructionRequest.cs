namespace FedNano.PacsBridge;

/// <summary>The body of <c>POST /api/reconstructions</c>; null members take the service's defaults.</summary>
public sealed record ReconstructionRequest
{
    /// <summary>Study of the raw projection series.</summary>
    public required string StudyInstanceUid { get; init; }

    /// <summary>The raw projection series.</summary>
    public required string SeriesInstanceUid { get; init; }

    /// <summary>dual-domain, ssr-fbp, 360li or 180li.</summary>
    public string? Method { get; init; }

    /// <summary>dual-domain: a checkpoint file name in the service's model directory.</summary>
    public string? Model { get; init; }

    /// <summary>Slice spacing (mm).</summary>
    public double? SliceSpacingMm { get; init; }

    /// <summary>Slice thickness (mm).</summary>
    public double? SliceThicknessMm { get; init; }

    /// <summary>Analytic methods: field of view (mm).</summary>
    public double? FieldOfViewMm { get; init; }

    /// <summary>Analytic methods: pixels per side.</summary>
    public int? MatrixSize { get; init; }
}
