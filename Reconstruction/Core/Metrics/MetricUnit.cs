namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// The unit both images are converted to before the metrics are computed. RRMSE and SSIM depend on it (they
/// are not invariant to an offset); PSNR does not, as long as the data range is the same span.
/// </summary>
/// <remarks>
/// <see cref="AttenuationPerMm"/> and <see cref="HounsfieldPlus1000"/> give identical RRMSE, SSIM and PSNR:
/// HU + 1000 = 1000·μ/μ_water is a pure scaling, and the data range scales with it. RRMSE in plain
/// <see cref="Hounsfield"/> divides by ‖x‖ of values that are near 0 in soft tissue and is rarely meaningful.
/// </remarks>
public enum MetricUnit
{
    /// <summary>Linear attenuation μ (1/mm); air 0, water μ_water. The default.</summary>
    AttenuationPerMm,

    /// <summary>Hounsfield units plus 1000 (air 0, water 1000): proportional to μ.</summary>
    HounsfieldPlus1000,

    /// <summary>Hounsfield units (air −1000, water 0).</summary>
    Hounsfield,
}
