namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Exact Poisson deviates: sequential inversion for means below <see cref="InversionLimit"/>, and Hörmann's
/// transformed rejection with squeeze (PTRS; W. Hörmann, "The transformed rejection method for generating Poisson
/// random variables", Insurance: Mathematics and Economics 12, 1993) for larger means. Both are exact (no normal
/// approximation), so the count statistics are right at every dose.
/// </summary>
internal static class PoissonSampler
{
    /// <summary>Means below this use inversion; PTRS is specified for means of 10 and above.</summary>
    public const double InversionLimit = 10.0;

    private const int LogFactorialTableSize = 64;
    private static readonly double[] LogFactorialTable = BuildLogFactorialTable();

    /// <summary>A Poisson(<paramref name="mean"/>) count; 0 for a mean ≤ 0.</summary>
    public static double Sample(ref NoiseRandom random, double mean)
    {
        if (!(mean > 0))
        {
            return 0;
        }
        return mean < InversionLimit ? Inversion(ref random, mean) : TransformedRejection(ref random, mean);
    }

    /// <summary>ln(k!) for k ≥ 0: a table below 64, Stirling's series (error &lt; 1e-15 there) above.</summary>
    public static double LogFactorial(double k)
    {
        if (k < LogFactorialTableSize)
        {
            return LogFactorialTable[(int)k];
        }
        double x = k + 1.0;
        double inv = 1.0 / x, inv2 = inv * inv;
        return (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2.0 * Math.PI)
            + inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
    }

    private static double Inversion(ref NoiseRandom random, double mean)
    {
        // Walk the CDF from k = 0. Means below 10 keep e^−mean ≥ 4.5e-5 and the walk short; the cap only
        // guards the last ulp of u against a CDF that rounds to just below 1.
        double u = random.NextDouble();
        double p = Math.Exp(-mean);
        double cdf = p;
        int k = 0;
        while (u > cdf && k < 1000)
        {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }

    private static double TransformedRejection(ref NoiseRandom random, double mean)
    {
        double sqrtMean = Math.Sqrt(mean);
        double logMean = Math.Log(mean);
        // Constants of the hat function from Hörmann (1993), Table 1 / algorithm PTRS.
        double b = 0.931 + 2.53 * sqrtMean;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2.0);
        while (true)
        {
            double u = random.NextDouble() - 0.5;
            double v = random.NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2.0 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return k; // Squeeze: accepted without evaluating the density.
            }
            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }
            if (Math.Log(v * invAlpha / (a / (us * us) + b)) <= -mean + k * logMean - LogFactorial(k))
            {
                return k;
            }
        }
    }

    private static double[] BuildLogFactorialTable()
    {
        var table = new double[LogFactorialTableSize];
        for (int k = 1; k < table.Length; k++)
        {
            table[k] = table[k - 1] + Math.Log(k);
        }
        return table;
    }
}
