using System.Numerics;

namespace FedNano.Reconstruction.Projection;

/// <summary>
/// The random stream of the noise model: xoshiro256** (Blackman &amp; Vigna 2018), seeded through SplitMix64 from a
/// key, so that every (seed, view, row) has its own reproducible stream whatever thread draws it.
/// </summary>
internal struct NoiseRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>The stream for one detector row of one view under a user seed.</summary>
    public static NoiseRandom ForRay(long seed, int view, int row)
    {
        // Distinct odd multipliers spread the three key parts before SplitMix64 scrambles them.
        ulong key = unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL)
            ^ ((ulong)(uint)view * 0xD1B54A32D192ED03UL)
            ^ ((ulong)(uint)row * 0x8CB92BA72F3D8DD7UL + 0x632BE59BD9B4E019UL));
        return FromKey(key);
    }

    /// <summary>A stream seeded from one 64-bit key.</summary>
    public static NoiseRandom FromKey(ulong key)
    {
        ulong x = key;
        var r = new NoiseRandom
        {
            _s0 = SplitMix64(ref x),
            _s1 = SplitMix64(ref x),
            _s2 = SplitMix64(ref x),
            _s3 = SplitMix64(ref x),
        };
        return r;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = unchecked(BitOperations.RotateLeft(_s1 * 5, 7) * 9);
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1]: safe to take the logarithm of.</summary>
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Standard normal deviate (Box–Muller; one of the pair is discarded to keep the stream simple).</summary>
    public double NextGaussian()
    {
        double u1 = NextDoubleNonZero();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        unchecked
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
