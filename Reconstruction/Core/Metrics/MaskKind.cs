namespace FedNano.Reconstruction.Metrics;

/// <summary>Which voxels <see cref="ImageMetrics.Evaluate"/> compares.</summary>
public enum MaskKind
{
    /// <summary>Every voxel of the grid.</summary>
    None,

    /// <summary>
    /// Inside the patient: reference above <see cref="MetricOptions.BodyThresholdHu"/> (default −900 HU), with
    /// enclosed low-density regions (airways, bowel gas) filled per slice. See <see cref="MetricMask.Body"/>.
    /// </summary>
    Body,

    /// <summary>The circle inscribed in each slice (the reconstructed field of view). See <see cref="MetricMask.InscribedCircle"/>.</summary>
    Circle,
}
