namespace FedNano.Samples.SampleData;

/// <summary>
/// A 3-D Shepp–Logan head phantom (Kak &amp; Slaney's ellipsoids) in Hounsfield units: air outside, a bone
/// skull, brain-like tissue inside, CSF-like ventricles and a few small slightly denser lesions. Axial slices are
/// rendered analytically (one interval per row and ellipse, so a 512×512 slice costs a few milliseconds) and get
/// deterministic Gaussian noise from a seeded generator.
/// </summary>
public static class SheppLoganPhantom
{
    /// <summary>Half the display field of view in millimetres: normalised phantom coordinate 1.0 is this far from the centre.</summary>
    public const double HalfFieldOfViewMm = 125.0;

    /// <summary>Half the axial extent of the phantom (outer skull) in millimetres.</summary>
    public const double HalfHeightMm = 0.81 * HalfFieldOfViewMm;

    /// <summary>HU of the background (air).</summary>
    public const double AirHu = -1000;

    // x0, y0, z0, a, b, c (normalised), rotation about z in degrees, additive HU.
    private static readonly (double X0, double Y0, double Z0, double A, double B, double C, double PhiDeg, double Hu)[] Ellipsoids =
    [
        (0.00, 0.0000, 0.00, 0.6900, 0.920, 0.810, 0, +2000),   // skull: air -1000 -> bone +1000
        (0.00, -0.0184, 0.00, 0.6624, 0.874, 0.780, 0, -965),   // brain: +35
        (0.22, 0.0000, 0.00, 0.1100, 0.310, 0.220, -18, -25),   // right ventricle: ~10 (CSF)
        (-0.22, 0.0000, 0.00, 0.1600, 0.410, 0.280, 18, -25),   // left ventricle
        (0.00, 0.3500, -0.15, 0.2100, 0.250, 0.410, 0, +15),    // large lesion: ~50
        (0.00, 0.1000, 0.00, 0.0460, 0.046, 0.050, 0, +20),     // small lesions (centred on z = 0 so that the
        (0.00, -0.1000, 0.00, 0.0460, 0.046, 0.050, 0, +20),    // central slice is the classic 2-D phantom)
        (-0.08, -0.6050, 0.00, 0.0460, 0.023, 0.050, 0, +25),
        (0.00, -0.6060, 0.00, 0.0230, 0.023, 0.020, 0, +25),
        (0.06, -0.6050, 0.00, 0.0230, 0.046, 0.020, 0, +25),
    ];

    /// <summary>
    /// Renders the axial slice at <paramref name="zMm"/> (0 = phantom centre) on a <paramref name="size"/>×<paramref name="size"/>
    /// grid covering the field of view, as stored values <c>HU + 1024</c> clamped to 0..4095 (so Rescale Intercept −1024,
    /// slope 1 gives HU back), written little-endian into <paramref name="destination"/> (2 bytes per pixel, row by row).
    /// </summary>
    /// <param name="size">Rows and columns.</param>
    /// <param name="zMm">Slice position along the patient axis, in millimetres.</param>
    /// <param name="noiseSeed">Seed of the noise; the same seed gives the same pixels.</param>
    /// <param name="noiseSigmaHu">Standard deviation of the added Gaussian noise in HU (0 for none).</param>
    /// <param name="destination">At least <c>2 * size * size</c> bytes.</param>
    public static void RenderSlice(int size, double zMm, ulong noiseSeed, double noiseSigmaHu, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (destination.Length < 2 * size * size) throw new ArgumentException("Destination is too small for the slice.", nameof(destination));

        var z = zMm / HalfFieldOfViewMm;
        var rng = new SplitMix64(noiseSeed);
        var row = new double[size];
        var step = 2.0 / size;
        // Cross-sections of the ellipsoids at this z (semi-axes scaled by sqrt(1 - ((z - z0)/c)^2)).
        Span<(double X0, double Y0, double A, double B, double Cos, double Sin, double Hu)> cuts =
            stackalloc (double, double, double, double, double, double, double)[Ellipsoids.Length];
        var n = 0;
        foreach (var e in Ellipsoids)
        {
            var t = (z - e.Z0) / e.C;
            if (t * t >= 1) continue;
            var s = Math.Sqrt(1 - t * t);
            var phi = e.PhiDeg * Math.PI / 180;
            cuts[n++] = (e.X0, e.Y0, e.A * s, e.B * s, Math.Cos(phi), Math.Sin(phi), e.Hu);
        }

        for (var i = 0; i < size; i++)
        {
            Array.Fill(row, AirHu);
            var y = 1 - (i + 0.5) * step; // row 0 is the top of the image (anterior in the classic display)
            for (var k = 0; k < n; k++)
            {
                var c = cuts[k];
                var v = y - c.Y0;
                // Points u = x - x0 inside the rotated ellipse satisfy qa*u^2 + qb*u + qc <= 0.
                double ia2 = 1 / (c.A * c.A), ib2 = 1 / (c.B * c.B);
                var qa = c.Cos * c.Cos * ia2 + c.Sin * c.Sin * ib2;
                var qb = 2 * v * c.Cos * c.Sin * (ia2 - ib2);
                var qc = v * v * (c.Sin * c.Sin * ia2 + c.Cos * c.Cos * ib2) - 1;
                var disc = qb * qb - 4 * qa * qc;
                if (disc <= 0) continue;
                var root = Math.Sqrt(disc);
                var u0 = (-qb - root) / (2 * qa) + c.X0;
                var u1 = (-qb + root) / (2 * qa) + c.X0;
                // Pixel j has its centre at x = -1 + (j + 0.5) * step.
                var j0 = Math.Max(0, (int)Math.Ceiling((u0 + 1) / step - 0.5));
                var j1 = Math.Min(size - 1, (int)Math.Floor((u1 + 1) / step - 0.5));
                for (var j = j0; j <= j1; j++) row[j] += c.Hu;
            }
            var outRow = destination.Slice(2 * i * size, 2 * size);
            for (var j = 0; j < size; j++)
            {
                var hu = row[j];
                if (noiseSigmaHu > 0) hu += noiseSigmaHu * rng.NextGaussian();
                var stored = (int)Math.Round(hu) + 1024;
                stored = Math.Clamp(stored, 0, 4095);
                outRow[2 * j] = (byte)stored;
                outRow[2 * j + 1] = (byte)(stored >> 8);
            }
        }
    }

    /// <summary>Renders a slice into a new byte array (see <see cref="RenderSlice(int, double, ulong, double, Span{byte})"/>).</summary>
    public static byte[] RenderSlice(int size, double zMm, ulong noiseSeed, double noiseSigmaHu = 5)
    {
        var bytes = new byte[2 * size * size];
        RenderSlice(size, zMm, noiseSeed, noiseSigmaHu, bytes);
        return bytes;
    }
}

/// <summary>
/// SplitMix64: a tiny, fast, fully specified pseudo-random generator, used instead of <see cref="Random"/> so
/// that the generated data are identical on every runtime and platform for the same seed.
/// </summary>
public struct SplitMix64
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed)
    {
        _state = seed;
        _spare = 0;
        _hasSpare = false;
    }

    /// <summary>Mixes several numbers into one well-distributed seed.</summary>
    public static ulong Mix(params ulong[] parts)
    {
        var g = new SplitMix64(0x9E3779B97F4A7C15UL);
        ulong h = 0;
        foreach (var p in parts)
        {
            g._state ^= p;
            h ^= g.NextUInt64();
        }
        return h;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var m = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * m;
        _hasSpare = true;
        return u * m;
    }
}
