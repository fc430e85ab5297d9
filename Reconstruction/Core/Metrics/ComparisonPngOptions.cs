using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// Display settings of a <see cref="ComparisonPng"/>: the grey-scale window of the reference and reconstruction
/// panels, the symmetric window of the difference panel, an optional title line and the zoom.
/// </summary>
public sealed record ComparisonPngOptions
{
    /// <summary>Soft-tissue window (centre 40 HU, width 400 HU), difference ±100 HU, no title, automatic zoom.</summary>
    public static ComparisonPngOptions Default { get; } = new();

    /// <summary>Window centre (HU) of the reference and reconstruction panels.</summary>
    public double WindowCenterHu { get; init; } = 40;

    /// <summary>Window width (HU) of the reference and reconstruction panels: centre ± width/2 maps to black … white.</summary>
    public double WindowWidthHu { get; init; } = 400;

    /// <summary>
    /// Half-width N (HU) of the difference window: reconstruction − reference of −N is black, 0 mid-grey (128),
    /// +N white.
    /// </summary>
    public double DifferenceHalfWidthHu { get; init; } = 100;

    /// <summary>Optional line above the panels, for example the metrics (null or empty: none).</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Integer nearest-neighbour magnification of each panel (1–16); null picks the smallest one that makes a panel's
    /// longer side at least <see cref="ComparisonPngLayout.MinimumAutoPanelPixels"/> pixels (at most 8), so labels fit.
    /// </summary>
    public int? Zoom { get; init; }

    /// <summary>μ_water (1/mm) for showing volumes stored as attenuation in HU.</summary>
    public double MuWaterPerMm { get; init; } = SheppLogan3D.DefaultMuWaterPerMm;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A window is not positive and finite, the zoom is outside 1–16, or μ_water is invalid.</exception>
    public void Validate()
    {
        if (!double.IsFinite(WindowCenterHu) || !(WindowWidthHu > 0) || !double.IsFinite(WindowWidthHu))
        {
            throw new ArgumentException($"Display window centre {WindowCenterHu} HU / width {WindowWidthHu} HU must be finite with a positive width.", nameof(WindowWidthHu));
        }
        if (!(DifferenceHalfWidthHu > 0) || !double.IsFinite(DifferenceHalfWidthHu))
        {
            throw new ArgumentException($"Difference window ±{DifferenceHalfWidthHu} HU must be positive and finite.", nameof(DifferenceHalfWidthHu));
        }
        if (Zoom is < 1 or > 16)
        {
            throw new ArgumentException($"Zoom must be 1 to 16 (got {Zoom}).", nameof(Zoom));
        }
        if (!(MuWaterPerMm > 0) || !double.IsFinite(MuWaterPerMm))
        {
            throw new ArgumentException($"μ_water must be positive and finite (got {MuWaterPerMm} /mm).", nameof(MuWaterPerMm));
        }
    }
}
