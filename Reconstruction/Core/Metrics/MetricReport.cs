using System.Globalization;

namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// The result of <see cref="ImageMetrics.Evaluate"/>: what was measured and in which terms, so that a figure can be
/// quoted as, for example, "RRMSE 6.6 % in μ (1/mm) over body (reference > −900 HU, enclosed air filled)".
/// </summary>
/// <param name="RrmsePercent">‖x̂ − x‖₂ / ‖x‖₂ × 100 over the masked voxels, in percent.</param>
/// <param name="Ssim">Mean over slices of each slice's mean SSIM (border of <see cref="SsimOptions.BorderPixels"/> excluded, masked), 1 for identical images.</param>
/// <param name="PsnrDb">10·log10(L²/MSE) over the masked voxels (dB); +∞ when the images are identical there.</param>
/// <param name="DataRange">L, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit the values were compared in, e.g. "μ (1/mm)".</param>
/// <param name="Mask">Which voxels were compared.</param>
/// <param name="VoxelCount">How many voxels the mask held (RRMSE and PSNR).</param>
public sealed record MetricReport(double RrmsePercent, double Ssim, double PsnrDb, double DataRange, string Unit, string Mask, long VoxelCount)
{
    /// <summary>One line, e.g. "RRMSE 6.56 %, SSIM 0.9960, PSNR 38.21 dB (in μ (1/mm), L = 0.0384, all voxels)".</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "RRMSE {0:0.###} %, SSIM {1:0.0000}, PSNR {2} dB (in {3}, L = {4:G4}, {5})",
        RrmsePercent, Ssim, double.IsPositiveInfinity(PsnrDb) ? "∞" : PsnrDb.ToString("0.00", CultureInfo.InvariantCulture),
        Unit, DataRange, Mask);
}
