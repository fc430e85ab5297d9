using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// 360LI / 180LI helical interpolation for multi-row (and sparse-row) detectors: each fan-beam sample for the
/// slice at z is linearly interpolated in z between the nearest measured samples below and above it, where a
/// sample's z is that of its ray's point closest to the rotation axis (z_source + w·R·cos γ / D), and the cone
/// tilt is corrected as in <see cref="SingleSliceRebinner"/>.
/// </summary>
public sealed class HelicalInterpolator
{
    private readonly ProjectionScan _scan;
    private readonly HelicalInterpolation _scheme;
    private readonly DetectorRowSampler _rows;

    /// <summary>Prepares interpolation of <paramref name="scan"/> with <paramref name="scheme"/>.</summary>
    public HelicalInterpolator(ProjectionScan scan, HelicalInterpolation scheme)
    {
        ArgumentNullException.ThrowIfNull(scan);
        _scan = scan;
        _scheme = scheme;
        _rows = new DetectorRowSampler(scan.RowPattern, scan.Geometry.Channels);
        if (scheme == HelicalInterpolation.Li180)
        {
            (ShortScanViews, ShortScanDeltaRad) = ParkerWeights.ShortScan(scan.Geometry);
        }
    }

    /// <summary>Views of the short scan 180LI produces (0 for 360LI).</summary>
    public int ShortScanViews { get; }

    /// <summary>Half-overscan angle δ of that short scan (rad).</summary>
    public double ShortScanDeltaRad { get; }

    /// <summary>
    /// Interpolates the sinogram for the slice at <paramref name="sliceZMm"/>: a full rotation (360LI) or a short
    /// scan (180LI), centred on the view nearest the slice.
    /// </summary>
    /// <exception cref="ArgumentException">The scan does not hold the views those sinogram angles need.</exception>
    public FanBeamSinogram Interpolate(double sliceZMm)
    {
        var g = _scan.Geometry;
        int n = _scheme == HelicalInterpolation.Li360 ? g.ViewsPerRotation : ShortScanViews;
        int centre = _scan.NearestView(sliceZMm);
        int first = centre - n / 2;
        if (first < 0 || first + n > _scan.Views)
        {
            throw new ArgumentException(
                $"Slice z = {sliceZMm:F2} mm lies too close to the end of the scan for {_scheme} (views {first}..{first + n - 1} of {_scan.Views}).");
        }
        var fan = FanBeamGeometry.FromHelical(g, n, _scan.ViewAngleRad[first]);
        int channels = g.Channels;
        var values = new float[n * channels];
        var measuredFraction = new float[n * channels];
        double r = g.SourceToIsocenterMm, d = g.SourceToDetectorMm;
        bool curved = g.DetectorShape == DetectorShape.Curved;
        var mmPerRow = new double[channels];
        var inPlane2 = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            // z at the ray's closest approach to the axis moves by RowSpacing / (dw/dz) per row.
            double rowPerMm;
            if (curved)
            {
                rowPerMm = d / (r * Math.Cos(g.ChannelAngleRad(c)));
                inPlane2[c] = d * d;
            }
            else
            {
                double u = (c + 1.0 - g.CentralChannel) * g.ChannelSpacingMm;
                rowPerMm = (u * u + d * d) / (r * d);
                inPlane2[c] = u * u + d * d;
            }
            mmPerRow[c] = g.RowSpacingMm / rowPerMm;
        }

        Parallel.For(0, n, k =>
        {
            int v = first + k;
            for (int c = 0; c < channels; c++)
            {
                var below = new Candidate(double.NegativeInfinity, 0);
                var above = new Candidate(double.PositiveInfinity, 0);
                for (int m = -3; m <= 3; m++)
                {
                    Consider(v + m * g.ViewsPerRotation, c, sliceZMm, mmPerRow, inPlane2, ref below, ref above);
                }
                if (_scheme == HelicalInterpolation.Li180)
                {
                    double step = 2 * Math.PI / g.ViewsPerRotation;
                    double gamma = g.ChannelAngleRad(c);
                    double mirrored = 2.0 * (g.CentralChannel - 1.0) - c;
                    for (int m = -2; m <= 1; m++)
                    {
                        double vf = v + (Math.PI + 2 * gamma) / step + m * g.ViewsPerRotation;
                        ConsiderFractional(vf, mirrored, sliceZMm, mmPerRow, inPlane2, ref below, ref above);
                    }
                }
                values[k * channels + c] = Blend(below, above, sliceZMm, out bool bracketed);
                measuredFraction[k * channels + c] = bracketed ? 1f : 0f;
            }
        });
        return new FanBeamSinogram(fan, values, measuredFraction);
    }

    private void Consider(int view, int channel, double sliceZMm, double[] mmPerRow, double[] inPlane2, ref Candidate below, ref Candidate above)
    {
        if (view < 0 || view >= _scan.Views)
        {
            return;
        }
        var g = _scan.Geometry;
        double zSource = _scan.ViewZMm[view];
        double row = (sliceZMm - zSource) / mmPerRow[channel] + g.CentralRow - 1.0;
        var samples = (ReadOnlySpan<float>)_scan.View(view);
        var (lo, hi) = _rows.Bracket(row);
        if (lo >= 0)
        {
            Offer(zSource, lo, samples[lo * g.Channels + channel], channel, sliceZMm, mmPerRow, inPlane2, ref below, ref above);
        }
        if (hi >= 0 && hi != lo)
        {
            Offer(zSource, hi, samples[hi * g.Channels + channel], channel, sliceZMm, mmPerRow, inPlane2, ref below, ref above);
        }
    }

    private void ConsiderFractional(double viewF, double channelF, double sliceZMm, double[] mmPerRow, double[] inPlane2, ref Candidate below, ref Candidate above)
    {
        var g = _scan.Geometry;
        int v0 = (int)Math.Floor(viewF);
        if (v0 < 0 || v0 + 1 >= _scan.Views || channelF < 0 || channelF > g.Channels - 1)
        {
            return;
        }
        double tv = viewF - v0;
        int c0 = (int)Math.Floor(channelF);
        int c1 = Math.Min(c0 + 1, g.Channels - 1);
        double tc = channelF - c0;
        double zSource = _scan.ViewZMm[v0] + tv * (_scan.ViewZMm[v0 + 1] - _scan.ViewZMm[v0]);
        double row = (sliceZMm - zSource) / mmPerRow[c0] + g.CentralRow - 1.0;
        var (lo, hi) = _rows.Bracket(row);
        var a = (ReadOnlySpan<float>)_scan.View(v0);
        var b = (ReadOnlySpan<float>)_scan.View(v0 + 1);
        foreach (int rowIndex in (ReadOnlySpan<int>)[lo, hi])
        {
            if (rowIndex < 0 || (rowIndex == hi && hi == lo))
            {
                continue;
            }
            int o = rowIndex * g.Channels;
            double sa = a[o + c0] + tc * (a[o + c1] - a[o + c0]);
            double sb = b[o + c0] + tc * (b[o + c1] - b[o + c0]);
            Offer(zSource, rowIndex, (float)(sa + tv * (sb - sa)), c0, sliceZMm, mmPerRow, inPlane2, ref below, ref above);
        }
    }

    private void Offer(double zSource, int row, float sample, int channel, double sliceZMm, double[] mmPerRow, double[] inPlane2, ref Candidate below, ref Candidate above)
    {
        var g = _scan.Geometry;
        double rowOffset = row + 1.0 - g.CentralRow;
        double z = zSource + rowOffset * mmPerRow[channel];
        double w = rowOffset * g.RowSpacingMm;
        double corrected = sample * Math.Sqrt(inPlane2[channel] / (inPlane2[channel] + w * w));
        if (z <= sliceZMm && z > below.ZMm)
        {
            below = new Candidate(z, corrected);
        }
        if (z >= sliceZMm && z < above.ZMm)
        {
            above = new Candidate(z, corrected);
        }
    }

    private static float Blend(Candidate below, Candidate above, double sliceZMm, out bool bracketed)
    {
        bool hasBelow = !double.IsNegativeInfinity(below.ZMm), hasAbove = !double.IsPositiveInfinity(above.ZMm);
        bracketed = hasBelow && hasAbove;
        if (!hasBelow)
        {
            return (float)above.Value;
        }
        if (!hasAbove || above.ZMm - below.ZMm < 1e-9)
        {
            return (float)below.Value;
        }
        double t = (sliceZMm - below.ZMm) / (above.ZMm - below.ZMm);
        return (float)(below.Value + t * (above.Value - below.Value));
    }

    private record struct Candidate(double ZMm, double Value);
}
