namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Parker's short-scan weights (Med. Phys. 9, 1982) for fan-beam data covering β ∈ [0, π + 2δ] with δ ≥ the
/// largest fan angle: every ray measured twice (the ray (β, γ) and its conjugate (β + π + 2γ, −γ)) gets weights
/// summing to one, smoothly, so the short scan can be filtered and backprojected like a full scan (×2).
/// </summary>
public static class ParkerWeights
{
    /// <summary>
    /// The weight of ray (β, γ), β measured from the start of the short scan, for half-overscan angle
    /// <paramref name="deltaRad"/> (the scan covers π + 2δ).
    /// </summary>
    public static double Weight(double betaRad, double gammaRad, double deltaRad)
    {
        double end = Math.PI + 2 * deltaRad;
        if (betaRad < 0 || betaRad > end)
        {
            return 0.0;
        }
        if (betaRad < 2 * deltaRad - 2 * gammaRad)
        {
            double s = Math.Sin(Math.PI / 4 * betaRad / (deltaRad - gammaRad));
            return s * s;
        }
        if (betaRad <= Math.PI - 2 * gammaRad)
        {
            return 1.0;
        }
        double t = Math.Sin(Math.PI / 4 * (end - betaRad) / (deltaRad + gammaRad));
        return t * t;
    }

    /// <summary>
    /// The views a short scan needs: ⌈(π + 2δ)/Δβ⌉ + 1 with δ = the geometry's largest fan angle (plus half a
    /// channel), and that δ.
    /// </summary>
    public static (int Views, double DeltaRad) ShortScan(HelicalGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double delta = Math.Max(Math.Abs(geometry.ChannelAngleRad(-0.5)), Math.Abs(geometry.ChannelAngleRad(geometry.Channels - 0.5)));
        double step = 2 * Math.PI / geometry.ViewsPerRotation;
        int views = (int)Math.Ceiling((Math.PI + 2 * delta) / step) + 1;
        delta = ((views - 1) * step - Math.PI) / 2;
        return (views, delta);
    }

    /// <summary>Multiplies a view-major short-scan sinogram in place by its Parker weights.</summary>
    public static void Apply(FanBeamGeometry geometry, Span<float> sinogram, double deltaRad)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int channels = geometry.Channels;
        for (int v = 0; v < geometry.Views; v++)
        {
            double beta = v * geometry.AngleStepRad;
            for (int c = 0; c < channels; c++)
            {
                sinogram[v * channels + c] *= (float)Weight(beta, geometry.ChannelAngleRad(c), deltaRad);
            }
        }
    }
}
