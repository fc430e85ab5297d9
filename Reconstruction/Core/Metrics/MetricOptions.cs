using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// How <see cref="ImageMetrics.Evaluate"/> compares two volumes: the unit the values are converted to, the data
/// range L of PSNR and SSIM, the voxel mask, and the SSIM window. The defaults state "RRMSE, PSNR and SSIM in μ,
/// over all voxels, L = 2000 HU (2·μ_water), Wang 2004 SSIM".
/// </summary>
public sealed record MetricOptions
{
    /// <summary>The defaults.</summary>
    public static MetricOptions Default { get; } = new();

    /// <summary>Unit the metrics are computed in; default μ (1/mm), where RRMSE is meaningful (see <see cref="MetricUnit"/>).</summary>
    public MetricUnit Unit { get; init; } = MetricUnit.AttenuationPerMm;

    /// <summary>
    /// The data range L of PSNR and SSIM, given as a span of Hounsfield units and converted to <see cref="Unit"/>
    /// (HU and HU + 1000: the same number; μ: DataRangeHu·μ_water/1000). Default 2000 HU, air (−1000) to dense bone
    /// (+1000). It is fixed rather than taken from each reference's minimum and maximum so that numbers stay comparable
    /// across cases and methods.
    /// </summary>
    public double DataRangeHu { get; init; } = 2000;

    /// <summary>Which voxels count; default all.</summary>
    public MaskKind Mask { get; init; } = MaskKind.None;

    /// <summary>Threshold of <see cref="MaskKind.Body"/> on the reference (HU).</summary>
    public double BodyThresholdHu { get; init; } = MetricMask.DefaultBodyThresholdHu;

    /// <summary>μ_water (1/mm) for the HU ↔ μ conversions; must match the one the volumes were made with.</summary>
    public double MuWaterPerMm { get; init; } = SheppLogan3D.DefaultMuWaterPerMm;

    /// <summary>The SSIM window and constants.</summary>
    public SsimOptions Ssim { get; init; } = SsimOptions.Wang2004;

    /// <summary>The data range L in <see cref="Unit"/>.</summary>
    public double DataRange => Unit == MetricUnit.AttenuationPerMm ? DataRangeHu * MuWaterPerMm / 1000.0 : DataRangeHu;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is out of range or not finite.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Unit))
        {
            throw new ArgumentException($"Unknown metric unit {(int)Unit}.", nameof(Unit));
        }
        if (!Enum.IsDefined(Mask))
        {
            throw new ArgumentException($"Unknown mask kind {(int)Mask}.", nameof(Mask));
        }
        if (!(DataRangeHu > 0) || !double.IsFinite(DataRangeHu))
        {
            throw new ArgumentException($"Data range must be positive and finite (got {DataRangeHu} HU).", nameof(DataRangeHu));
        }
        if (!(MuWaterPerMm > 0) || !double.IsFinite(MuWaterPerMm))
        {
            throw new ArgumentException($"μ_water must be positive and finite (got {MuWaterPerMm} /mm).", nameof(MuWaterPerMm));
        }
        if (!double.IsFinite(BodyThresholdHu))
        {
            throw new ArgumentException($"Body threshold must be finite (got {BodyThresholdHu} HU).", nameof(BodyThresholdHu));
        }
        ArgumentNullException.ThrowIfNull(Ssim);
        Ssim.Validate();
    }

    /// <summary>Human-readable name of <see cref="Unit"/>, e.g. "μ (1/mm)".</summary>
    public string UnitDescription => Unit switch
    {
        MetricUnit.AttenuationPerMm => "μ (1/mm)",
        MetricUnit.HounsfieldPlus1000 => "HU+1000",
        _ => "HU",
    };

    /// <summary>Human-readable description of <see cref="Mask"/>, e.g. "body (reference > −900 HU, holes filled)".</summary>
    public string MaskDescription => Mask switch
    {
        MaskKind.Body => FormattableString.Invariant($"body (reference > {BodyThresholdHu:0.#} HU, enclosed air filled)"),
        MaskKind.Circle => "inscribed field-of-view circle",
        _ => "all voxels",
    };
}
