namespace FedNano.Reconstruction.Phantoms;

/// <summary>Options of <see cref="SheppLoganPhantom"/>.</summary>
public sealed record SheppLoganPhantomOptions
{
    /// <summary>
    /// Physical radius (mm) of the phantom's unit ball; null fits it to the grid: <see cref="GridFillFraction"/>
    /// of half the smaller in-plane extent.
    /// </summary>
    public double? RadiusMm { get; init; }

    /// <summary>Fraction of half the smaller in-plane grid extent the radius takes when <see cref="RadiusMm"/> is null.</summary>
    public double GridFillFraction { get; init; } = 0.9;

    /// <summary>Attenuation of water (1/mm), for density → μ → HU.</summary>
    public double MuWaterPerMm { get; init; } = SheppLogan3D.DefaultMuWaterPerMm;

    /// <summary>In-plane subsamples per voxel side (1..8).</summary>
    public int Supersample { get; init; } = 2;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (RadiusMm is double r && (!double.IsFinite(r) || r <= 0))
        {
            throw new ArgumentException($"Shepp-Logan radius must be positive and finite (got {r} mm).", nameof(RadiusMm));
        }
        if (!(GridFillFraction > 0 && GridFillFraction <= 1))
        {
            throw new ArgumentException($"Grid fill fraction must be in (0, 1] (got {GridFillFraction}).", nameof(GridFillFraction));
        }
        if (!double.IsFinite(MuWaterPerMm) || MuWaterPerMm <= 0)
        {
            throw new ArgumentException($"μ_water must be positive and finite (got {MuWaterPerMm} /mm).", nameof(MuWaterPerMm));
        }
        if (Supersample < 1 || Supersample > SupersampledRenderer.MaxFactor)
        {
            throw new ArgumentException($"Supersample must be 1..{SupersampledRenderer.MaxFactor} (got {Supersample}).", nameof(Supersample));
        }
    }
}
