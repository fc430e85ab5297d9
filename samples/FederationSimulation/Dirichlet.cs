namespace FedNano.Samples.FederationSimulation;

/// <summary>Draws from a symmetric Dirichlet distribution (normalised Gamma(α, 1) draws; Marsaglia–Tsang for the Gammas).</summary>
public static class Dirichlet
{
    /// <summary>A probability vector of length <paramref name="k"/>; small α gives skewed vectors (non-IID partitions).</summary>
    public static double[] Sample(int k, double alpha, Random random)
    {
        var g = Enumerable.Range(0, k).Select(_ => Gamma(alpha, random)).ToArray();
        double sum = g.Sum();
        return g.Select(x => x / sum).ToArray();
    }

    private static double Gamma(double alpha, Random random)
    {
        if (alpha < 1) return Gamma(alpha + 1, random) * Math.Pow(random.NextDouble(), 1 / alpha);
        double d = alpha - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            double u = random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
