using FedNano.Reconstruction.Projection;

namespace FedNano.Reconstruction.Tests.Projection;

public class PoissonNoiseTests
{
    private static readonly HelicalGeometry Detector = TestObjects.Geometry(rows: 8, channels: 64);

    [Fact]
    public void Same_seed_gives_the_same_noise_on_any_number_of_threads()
    {
        float[] serial = Constant(60, 1.5f), parallel = Constant(60, 1.5f), other = Constant(60, 1.5f);
        new PoissonNoise(new NoiseOptions(1e4, Seed: 7)).Apply(serial, Detector, maxDegreeOfParallelism: 1);
        new PoissonNoise(new NoiseOptions(1e4, Seed: 7)).Apply(parallel, Detector, maxDegreeOfParallelism: 3);
        new PoissonNoise(new NoiseOptions(1e4, Seed: 8)).Apply(other, Detector);

        Assert.Equal(serial, parallel);
        Assert.True(serial.Zip(other).Count(t => t.First != t.Second) > serial.Length * 0.9);
    }

    [Fact]
    public void Measured_rows_get_the_same_noise_whether_or_not_a_row_pattern_is_given()
    {
        var pattern = SparseRowPattern.Parse("2x2g2", Detector.Rows);
        float[] dense = Constant(10, 0.7f), sparse = Constant(10, 0.7f);
        var noise = new PoissonNoise(new NoiseOptions(5e3, Seed: 3));
        noise.Apply(dense, Detector);
        noise.Apply(sparse, Detector, pattern);

        for (int i = 0; i < dense.Length; i++)
        {
            int row = i / Detector.Channels % Detector.Rows;
            Assert.Equal(pattern.IsActive(row) ? dense[i] : 0.7f, sparse[i]);
        }
    }

    [Theory]
    [InlineData(1e5, 3.0)]
    [InlineData(1e4, 2.0)]
    [InlineData(500.0, 1.0)]
    public void Noisy_line_integral_has_the_theoretical_mean_and_variance(double photons, double p)
    {
        // Delta method: E[p̂] ≈ p + 1/(2N̄), var(p̂) ≈ 1/N̄ with N̄ = I0·e^−p (N̄ ≥ 180 here).
        float[] data = Constant(400, (float)p);
        new PoissonNoise(new NoiseOptions(photons, Seed: 11)).Apply(data, Detector);
        double meanCount = photons * Math.Exp(-p);
        double mean = data.Average(v => (double)v);
        double variance = data.Sum(v => (v - mean) * (v - mean)) / (data.Length - 1);

        double expectedVariance = 1 / meanCount;
        Assert.Equal(p + 0.5 / meanCount, mean, 5 * Math.Sqrt(expectedVariance / data.Length) + 1e-5);
        Assert.InRange(variance / expectedVariance, 0.95, 1.05);
    }

    [Fact]
    public void Zero_counts_are_clamped_to_half_a_photon()
    {
        // I0·e^−40 is about 4e-18 photons: every count is 0, so p̂ = −ln(0.5/I0) = ln(2·I0).
        float[] data = Constant(4, 40f);
        new PoissonNoise(new NoiseOptions(1.0)).Apply(data, Detector);
        Assert.All(data, v => Assert.Equal((float)Math.Log(2.0), v));

        // Electronic noise can push a count below zero: the same clamp bounds p̂.
        float[] noisy = Constant(20, 0f);
        new PoissonNoise(new NoiseOptions(100, ElectronicNoiseSigma: 60)).Apply(noisy, Detector);
        float bound = (float)Math.Log(2 * 100.0);
        Assert.All(noisy, v => Assert.True(v <= bound + 1e-5f));
        Assert.Contains(noisy, v => Math.Abs(v - bound) < 1e-5f);
    }

    [Fact]
    public void Bow_tie_lowers_incident_photons_smoothly_towards_the_fan_edge()
    {
        HelicalGeometry g = TestObjects.Geometry(channels: 65);
        float[] photons = new PoissonNoise(new NoiseOptions(2e5, BowTieEdgeAttenuation: 2.0)).PhotonsPerChannel(g);

        Assert.Equal(2e5f, photons[32]);
        for (int c = 0; c < 32; c++)
        {
            Assert.Equal(photons[c], photons[64 - c]);
            Assert.True(photons[c] < photons[c + 1]);
        }
        double gamma = g.ChannelAngleRad(0);
        double expected = 2e5 * Math.Exp(-2.0 * (1 - Math.Cos(gamma)) / (1 - Math.Cos(g.FanHalfAngleRad)));
        Assert.Equal(expected, photons[0], expected * 1e-6);
        Assert.All(new PoissonNoise(new NoiseOptions(2e5)).PhotonsPerChannel(g), v => Assert.Equal(2e5f, v));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(4.5)]
    [InlineData(9.99)]
    [InlineData(10.0)]
    [InlineData(37.5)]
    [InlineData(400.0)]
    public void Sampler_follows_the_Poisson_distribution(double mean)
    {
        const int n = 1_000_000;
        var random = NoiseRandom.FromKey(42);
        var counts = new Dictionary<int, int>();
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            int k = (int)PoissonSampler.Sample(ref random, mean);
            counts[k] = counts.GetValueOrDefault(k) + 1;
            sum += k;
        }
        Assert.Equal(mean, sum / n, 4.5 * Math.Sqrt(mean / n));

        // Chi-square over bins with at least 20 expected counts (tails pooled into the end bins).
        var expected = new List<double>();
        var observed = new List<double>();
        double lowExpected = 0, lowObserved = 0;
        int kMax = (int)(mean + 12 * Math.Sqrt(mean) + 20);
        for (int k = 0; k <= kMax; k++)
        {
            double e = n * Math.Exp(-mean + k * Math.Log(mean) - PoissonSampler.LogFactorial(k));
            lowExpected += e;
            lowObserved += counts.GetValueOrDefault(k);
            if (lowExpected >= 20)
            {
                expected.Add(lowExpected);
                observed.Add(lowObserved);
                lowExpected = lowObserved = 0;
            }
        }
        observed[^1] += counts.Where(kv => kv.Key > kMax).Sum(kv => kv.Value) + lowObserved;
        expected[^1] += lowExpected;
        double chi2 = expected.Zip(observed, (e, o) => (o - e) * (o - e) / e).Sum();
        int df = expected.Count - 1;
        Assert.True(df >= 1);
        Assert.True(chi2 < df + 6 * Math.Sqrt(2.0 * df) + 10, $"chi2 {chi2:F1} with {df} degrees of freedom");
    }

    [Fact]
    public void Sampler_is_right_for_very_large_means()
    {
        const int n = 100_000;
        const double mean = 1e7;
        var random = NoiseRandom.FromKey(9);
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double k = PoissonSampler.Sample(ref random, mean);
            sum += k;
            sumSq += k * k;
        }
        double m = sum / n;
        double variance = (sumSq - n * m * m) / (n - 1);
        Assert.Equal(mean, m, 5 * Math.Sqrt(mean / n));
        Assert.InRange(variance / mean, 0.97, 1.03);
    }

    [Fact]
    public void Log_factorial_is_continuous_across_the_table_and_Stirling_ranges()
    {
        double exact = 0;
        for (int k = 1; k <= 200; k++)
        {
            exact += Math.Log(k);
            Assert.Equal(exact, PoissonSampler.LogFactorial(k), 1e-10 * exact);
        }
    }

    [Fact]
    public void Invalid_settings_and_data_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new PoissonNoise(new NoiseOptions(0)));
        Assert.Throws<ArgumentException>(() => new PoissonNoise(new NoiseOptions(1e4, BowTieEdgeAttenuation: -1)));
        Assert.Throws<ArgumentException>(() => new PoissonNoise(new NoiseOptions(1e4, ElectronicNoiseSigma: double.NaN)));
        var noise = new PoissonNoise(new NoiseOptions(1e4));
        Assert.Throws<ArgumentException>(() => noise.Apply(new float[Detector.Channels * Detector.Rows + 1], Detector));
        float[] bad = Constant(1, 1f);
        bad[5] = float.NaN;
        Assert.Throws<ArgumentException>(() => noise.Apply(bad, Detector));
    }

    private static float[] Constant(int views, float value)
    {
        var data = new float[views * Detector.Rows * Detector.Channels];
        Array.Fill(data, value);
        return data;
    }
}
