using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Single-slice rebinning (Noo, Defrise &amp; Clackdoyle 1999): turns helical cone-beam views into a 2D fan-beam
/// sinogram for the slice at z, using for each ray the detector row whose ray crosses z where it passes closest
/// to the rotation axis, with the cone-tilt length correction. One full rotation of views centred on the slice.
/// </summary>
/// <remarks>
/// Curved detector: the row offset at the detector is w = Δz·D / (R·cos γ) and the sample is scaled by
/// D / √(D² + w²). Flat detector: v = Δz·(u² + D²)/(R·D), scaled by √(u² + D²)/√(u² + v² + D²). Δz = z − z_source.
/// Rows between measured rows are interpolated linearly; gap rows follow <see cref="GapFilling"/>.
/// </remarks>
public sealed class SingleSliceRebinner
{
    private readonly ProjectionScan _scan;
    private readonly DetectorRowSampler _sampler;
    private readonly GapFilling _gapFilling;

    /// <summary>Prepares rebinning of <paramref name="scan"/>.</summary>
    public SingleSliceRebinner(ProjectionScan scan, GapFilling gapFilling = GapFilling.Linear)
    {
        ArgumentNullException.ThrowIfNull(scan);
        _scan = scan;
        _sampler = new DetectorRowSampler(scan.RowPattern, scan.Geometry.Channels);
        _gapFilling = gapFilling;
    }

    /// <summary>The z range (mm) of slices that have a full rotation of views centred on them.</summary>
    public (double MinZMm, double MaxZMm) SliceRange
    {
        get
        {
            int half = _scan.Geometry.ViewsPerRotation / 2;
            if (_scan.Views < _scan.Geometry.ViewsPerRotation)
            {
                return (double.NaN, double.NaN);
            }
            double a = _scan.ViewZMm[half], b = _scan.ViewZMm[_scan.Views - _scan.Geometry.ViewsPerRotation + half];
            return (Math.Min(a, b), Math.Max(a, b));
        }
    }

    /// <summary>
    /// The first view of the rotation centred on <paramref name="sliceZMm"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The scan has no full rotation of views around that z.</exception>
    public int FirstViewFor(double sliceZMm)
    {
        var g = _scan.Geometry;
        int n = g.ViewsPerRotation;
        if (_scan.Views < n)
        {
            throw new ArgumentException($"The scan has {_scan.Views} views, fewer than one rotation ({n}).");
        }
        int centre = _scan.NearestView(sliceZMm);
        int first = centre - n / 2;
        var (min, max) = SliceRange;
        if (first < 0 || first + n > _scan.Views || (g.PitchFactor != 0 && (sliceZMm < min - 1e-6 || sliceZMm > max + 1e-6)))
        {
            throw new ArgumentException(
                $"Slice z = {sliceZMm:F2} mm has no full rotation of views around it; this scan supports slices in [{min:F2}, {max:F2}] mm.");
        }
        return first;
    }

    /// <summary>Rebins the rotation centred on <paramref name="sliceZMm"/> into a full-scan fan-beam sinogram.</summary>
    public FanBeamSinogram Rebin(double sliceZMm)
    {
        var g = _scan.Geometry;
        int first = FirstViewFor(sliceZMm);
        int n = g.ViewsPerRotation, channels = g.Channels;
        var fan = FanBeamGeometry.FromHelical(g, n, _scan.ViewAngleRad[first]);
        var values = new float[n * channels];
        var measured = new float[n * channels];
        double r = g.SourceToIsocenterMm, d = g.SourceToDetectorMm;
        bool curved = g.DetectorShape == DetectorShape.Curved;
        double rowScale = 1.0 / g.RowSpacingMm, rowOrigin = g.CentralRow - 1.0;

        // Per channel: row offset per mm of Δz, and the denominators of the length correction.
        var rowPerMm = new double[channels];
        var inPlane2 = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            if (curved)
            {
                rowPerMm[c] = d / (r * Math.Cos(g.ChannelAngleRad(c)));
                inPlane2[c] = d * d;
            }
            else
            {
                double u = (c + 1.0 - g.CentralChannel) * g.ChannelSpacingMm;
                rowPerMm[c] = (u * u + d * d) / (r * d);
                inPlane2[c] = u * u + d * d;
            }
        }

        Parallel.For(0, n, k =>
        {
            int v = first + k;
            double dz = sliceZMm - _scan.ViewZMm[v];
            var view = (ReadOnlySpan<float>)_scan.View(v);
            for (int c = 0; c < channels; c++)
            {
                double w = dz * rowPerMm[c];
                double row = w * rowScale + rowOrigin;
                float value = _sampler.Sample(view, c, row, out bool isMeasured);
                value *= (float)Math.Sqrt(inPlane2[c] / (inPlane2[c] + w * w));
                if (!isMeasured && _gapFilling == GapFilling.Complementary
                    && TryComplementary(v, c, sliceZMm, rowPerMm, inPlane2, out float conjugate))
                {
                    value = conjugate;
                    isMeasured = true;
                }
                values[k * channels + c] = value;
                measured[k * channels + c] = isMeasured ? 1f : 0f;
            }
        });
        return new FanBeamSinogram(fan, values, measured);
    }

    // The complementary ray of (β, γ) is (β + π + 2γ, −γ) (or β − π + 2γ): the same line traversed the other way,
    // measured at another table position. Use it when it lands on measured rows in both neighbouring views.
    private bool TryComplementary(int view, int channel, double sliceZMm, double[] rowPerMm, double[] inPlane2, out float value)
    {
        var g = _scan.Geometry;
        double gamma = g.ChannelAngleRad(channel);
        double step = 2 * Math.PI / g.ViewsPerRotation;
        // Channel of −γ (fractional when the central channel is offset, e.g. a quarter-detector shift).
        double mirrored = 2.0 * (g.CentralChannel - 1.0) - channel;
        value = 0;
        if (mirrored < 0 || mirrored > g.Channels - 1)
        {
            return false;
        }
        double bestDz = double.MaxValue;
        bool found = false;
        foreach (double shift in (ReadOnlySpan<double>)[(Math.PI + 2 * gamma) / step, -(Math.PI - 2 * gamma) / step])
        {
            double vf = view + shift;
            int v0 = (int)Math.Floor(vf);
            if (v0 < 0 || v0 + 1 >= _scan.Views)
            {
                continue;
            }
            double tv = vf - v0;
            double z = _scan.ViewZMm[v0] + tv * (_scan.ViewZMm[v0 + 1] - _scan.ViewZMm[v0]);
            double dz = sliceZMm - z;
            int c0 = (int)Math.Floor(mirrored);
            int c1 = Math.Min(c0 + 1, g.Channels - 1);
            double tc = mirrored - c0;
            double w = dz * rowPerMm[c0];
            double row = w / g.RowSpacingMm + g.CentralRow - 1.0;
            if (!_sampler.IsMeasured(row) || Math.Abs(dz) >= bestDz)
            {
                continue;
            }
            var a = (ReadOnlySpan<float>)_scan.View(v0);
            var b = (ReadOnlySpan<float>)_scan.View(v0 + 1);
            double sa = Lerp(_sampler.Sample(a, c0, row, out _), _sampler.Sample(a, c1, row, out _), tc);
            double sb = Lerp(_sampler.Sample(b, c0, row, out _), _sampler.Sample(b, c1, row, out _), tc);
            value = (float)(Lerp(sa, sb, tv) * Math.Sqrt(inPlane2[c0] / (inPlane2[c0] + w * w)));
            bestDz = Math.Abs(dz);
            found = true;
        }
        return found;
    }

    private static double Lerp(double a, double b, double t) => a + t * (b - a);
}
