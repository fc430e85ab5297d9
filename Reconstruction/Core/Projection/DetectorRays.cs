namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Per-channel and per-row ray parameters of a detector, precomputed once per projection. A ray of view angle φ
/// and source S travels in-plane along (sin(φ+γ), −cos(φ+γ)) (unit length, the scanner-frame convention
/// cos γ·c + sin γ·e) and rises <see cref="ZPerInPlaneMm"/> in z per millimetre of in-plane travel.
/// </summary>
internal sealed class DetectorRays
{
    public DetectorRays(HelicalGeometry geometry)
    {
        Channels = geometry.Channels;
        Rows = geometry.Rows;
        ChannelAngleRad = new double[Channels];
        ZSlopeScale = new double[Channels];
        RowOffsetMm = new double[Rows];
        for (int c = 0; c < Channels; c++)
        {
            double gamma = geometry.ChannelAngleRad(c);
            ChannelAngleRad[c] = gamma;
            // Curved: the element lies D from the source in-plane, so z rises w/D per mm. Flat: the in-plane
            // distance to the element is D/cos γ, so the rise per mm is w·cos γ/D.
            ZSlopeScale[c] = geometry.DetectorShape == DetectorShape.Curved
                ? 1.0 / geometry.SourceToDetectorMm
                : Math.Cos(gamma) / geometry.SourceToDetectorMm;
        }
        for (int r = 0; r < Rows; r++)
        {
            RowOffsetMm[r] = geometry.RowOffsetMm(r);
        }
        SourceToIsocenterMm = geometry.SourceToIsocenterMm;
    }

    public int Channels { get; }

    public int Rows { get; }

    public double SourceToIsocenterMm { get; }

    /// <summary>Fan angle γ of each channel (rad).</summary>
    public double[] ChannelAngleRad { get; }

    /// <summary>Multiply by a row offset (mm at the detector) to get the z rise per mm of in-plane travel.</summary>
    public double[] ZSlopeScale { get; }

    /// <summary>Row offset w of each row (mm at the detector).</summary>
    public double[] RowOffsetMm { get; }

    /// <summary>z rise per mm of in-plane travel of the ray through (channel, row).</summary>
    public double ZPerInPlaneMm(int channel, int row) => RowOffsetMm[row] * ZSlopeScale[channel];
}
