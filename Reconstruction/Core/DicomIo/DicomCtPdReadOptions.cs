namespace FedNano.Reconstruction.DicomIo;

/// <summary>Tolerances and defaults of <see cref="DicomCtPdReader"/>.</summary>
/// <param name="ZStepToleranceMm">
/// How far each view-to-view z step may differ from the mean step (mm). z₀ is stored as float32, which alone
/// contributes up to ≈ 2.4·10⁻⁴ mm per step at |z| ≈ 2 m, so the default 0.01 mm leaves room for that and flags
/// real irregularities (a skipped or repeated table position).
/// </param>
/// <param name="AngleStepToleranceRad">
/// How far each view-to-view angle step may differ from 2π / NumberofSourceAngularSteps (rad); float32 angles in
/// [0, 2π) are good to ≈ 5·10⁻⁷ rad.
/// </param>
/// <param name="PitchSnapRelativeTolerance">
/// When SpiralPitchFactor (0018,9311) is present and the pitch derived from the z progression agrees with it to
/// this relative tolerance, the declared (exact) value is used; otherwise the derived one.
/// </param>
/// <param name="DefaultMuWaterPerMm">μ_water (1/mm) when neither the FedNano block nor WaterAttenuationCoefficient (7041,xx01) gives one.</param>
public sealed record DicomCtPdReadOptions(
    double ZStepToleranceMm = 0.01,
    double AngleStepToleranceRad = 1e-4,
    double PitchSnapRelativeTolerance = 0.005,
    double DefaultMuWaterPerMm = 0.0192)
{
    /// <summary>The defaults.</summary>
    public static DicomCtPdReadOptions Default { get; } = new();
}
