using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Resamples a scan from a cylindrical (equiangular) detector onto a flat detector at the same source–detector
/// distance, with the same channel and row counts: the flat detector spans the same fan angle, and its rows keep
/// the curved rows' spacing at the centre. Each flat element (u, v) takes the curved sample its ray hits:
/// γ = atan(u / D) and cylinder height w = v·D / √(u² + D²), bilinearly interpolated (rows only between
/// measured rows; elements whose ray leaves the curved detector get 0 and count as unmeasured).
/// </summary>
public static class CurvedToFlatRebinner
{
    /// <summary>The flat geometry that <see cref="Rebin"/> produces for <paramref name="curved"/>.</summary>
    public static HelicalGeometry FlatGeometry(HelicalGeometry curved)
    {
        ArgumentNullException.ThrowIfNull(curved);
        if (curved.DetectorShape != DetectorShape.Curved)
        {
            throw new ArgumentException("The geometry's detector is already flat.", nameof(curved));
        }
        double halfWidth = curved.SourceToDetectorMm * Math.Tan(curved.FanHalfAngleRad);
        double spacing = 2 * halfWidth / curved.Channels;
        // Keep the central ray's channel coordinate: same offset from the detector centre, in channels.
        return new HelicalGeometry(curved.SourceToIsocenterMm, curved.SourceToDetectorMm, DetectorShape.Flat,
            curved.Channels, spacing, curved.Rows, curved.RowSpacingMm, curved.CentralChannel, curved.CentralRow,
            curved.ViewsPerRotation, curved.PitchFactor, curved.StartAngleRad, curved.StartZMm);
    }

    /// <summary>Rebins every view of <paramref name="scan"/> to a flat detector.</summary>
    /// <exception cref="ArgumentException">The scan's detector is not curved.</exception>
    public static ProjectionScan Rebin(ProjectionScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var curved = scan.Geometry;
        var flat = FlatGeometry(curved);
        int channels = curved.Channels, rows = curved.Rows;
        double d = curved.SourceToDetectorMm;
        var sampler = new DetectorRowSampler(scan.RowPattern, channels);

        // Per flat channel: the curved channel coordinate and the factor from flat row height to cylinder height.
        var curvedChannel = new double[channels];
        var heightScale = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double u = (c + 1.0 - flat.CentralChannel) * flat.ChannelSpacingMm;
            double gamma = Math.Atan(u / d);
            curvedChannel[c] = gamma / curved.FanAngleIncrementRad + curved.CentralChannel - 1.0;
            heightScale[c] = d / Math.Sqrt(u * u + d * d);
        }
        var output = new float[scan.LineIntegrals.LongLength];
        Parallel.For(0, scan.Views, v =>
        {
            var source = (ReadOnlySpan<float>)scan.View(v);
            var target = output.AsSpan(v * rows * channels, rows * channels);
            for (int row = 0; row < rows; row++)
            {
                if (!scan.RowPattern.IsActive(row))
                {
                    continue;
                }
                double vFlat = flat.RowOffsetMm(row);
                for (int c = 0; c < channels; c++)
                {
                    double cc = curvedChannel[c];
                    if (cc < 0 || cc > channels - 1)
                    {
                        continue;
                    }
                    double curvedRow = vFlat * heightScale[c] / curved.RowSpacingMm + curved.CentralRow - 1.0;
                    int c0 = (int)cc;
                    int c1 = Math.Min(c0 + 1, channels - 1);
                    double t = cc - c0;
                    double a = sampler.Sample(source, c0, curvedRow, out _);
                    double b = sampler.Sample(source, c1, curvedRow, out _);
                    target[row * channels + c] = (float)(a + t * (b - a));
                }
            }
        });
        return new ProjectionScan(flat, scan.RowPattern, output, scan.ViewAngleRad, scan.ViewZMm, scan.MuWaterPerMm,
            scan.Metadata, scan.PhotonsPerChannel);
    }
}
