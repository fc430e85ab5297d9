namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Transmission noise on line integrals: for each ray the detected count is N ~ Poisson(I0(γ)·e^−p) (plus optional
/// Gaussian electronic noise), and the noisy line integral is p̂ = −ln(max(N, <see cref="MinimumCount"/>)/I0(γ)).
/// </summary>
/// <remarks>
/// <para>Zero counts: a count below <see cref="MinimumCount"/> (0 photons, or a negative value after electronic
/// noise) is replaced by half a photon, the midpoint between the possible readings 0 and 1, which keeps p̂ finite and
/// bounded by ln(2·I0(γ)); no other correction is applied, so heavily attenuated rays keep their (physical) bias.</para>
/// <para>Reproducibility: each (view, row) draws from its own stream keyed by (seed, view, row), so the result does
/// not depend on the number of threads, and the noise on a row is the same whether or not other rows are
/// processed (dense and sparse scans with one seed share the realisation on their common rows).</para>
/// <para>For large counts var(p̂) ≈ 1/(I0(γ)·e^−p), the usual weight of statistical reconstruction.</para>
/// </remarks>
public sealed class PoissonNoise
{
    /// <summary>The count (photons) that a smaller detected count is clamped to before the logarithm.</summary>
    public const double MinimumCount = 0.5;

    /// <summary>Creates the noise model.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PoissonNoise(NoiseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The noise settings.</summary>
    public NoiseOptions Options { get; }

    /// <summary>
    /// Incident photons I0(γ) of every channel: the central value times the bow-tie fall-off
    /// exp(−k·(1 − cos γ)/(1 − cos γ_max)) with γ_max the geometry's fan half-angle.
    /// </summary>
    public float[] PhotonsPerChannel(HelicalGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var photons = new float[geometry.Channels];
        double edge = 1.0 - Math.Cos(geometry.FanHalfAngleRad);
        for (int c = 0; c < photons.Length; c++)
        {
            double fall = Options.BowTieEdgeAttenuation == 0
                ? 0
                : Options.BowTieEdgeAttenuation * (1.0 - Math.Cos(geometry.ChannelAngleRad(c))) / edge;
            photons[c] = (float)(Options.IncidentPhotonsPerRay * Math.Exp(-fall));
        }
        return photons;
    }

    /// <summary>
    /// Replaces noiseless line integrals (view-major [view][row][channel]) by noisy ones, in place. View indices
    /// count from the start of <paramref name="lineIntegrals"/>.
    /// </summary>
    /// <param name="lineIntegrals">Line integrals of whole views; a multiple of Rows·Channels values.</param>
    /// <param name="geometry">Detector the data belong to (rows, channels, fan angles).</param>
    /// <param name="rowPattern">When given, rows it marks inactive are left unchanged (they are not measured).</param>
    /// <param name="maxDegreeOfParallelism">Worker threads (−1: all cores); the result does not depend on it.</param>
    /// <param name="cancellationToken">Cancels the work (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">
    /// The length is not whole views, the pattern is for another detector, or a line integral is not finite.
    /// </exception>
    public void Apply(
        float[] lineIntegrals, HelicalGeometry geometry, SparseRowPattern? rowPattern = null,
        int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lineIntegrals);
        ArgumentNullException.ThrowIfNull(geometry);
        int perView = geometry.Rows * geometry.Channels;
        if (lineIntegrals.Length % perView != 0)
        {
            throw new ArgumentException(
                $"{lineIntegrals.Length} values are not whole views of {geometry.Rows} rows x {geometry.Channels} channels.",
                nameof(lineIntegrals));
        }
        if (rowPattern is not null && rowPattern.DetectorRows != geometry.Rows)
        {
            throw new ArgumentException(
                $"Row pattern is for {rowPattern.DetectorRows} rows, the detector has {geometry.Rows}.", nameof(rowPattern));
        }
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentException(
                $"Max degree of parallelism must be −1 or positive (got {maxDegreeOfParallelism}).", nameof(maxDegreeOfParallelism));
        }
        for (int i = 0; i < lineIntegrals.Length; i++)
        {
            if (!float.IsFinite(lineIntegrals[i]))
            {
                throw new ArgumentException($"Line integral {i} is {lineIntegrals[i]}; noise needs finite values.", nameof(lineIntegrals));
            }
        }
        float[] photons = PhotonsPerChannel(geometry);
        var logPhotons = new double[photons.Length];
        for (int c = 0; c < photons.Length; c++)
        {
            logPhotons[c] = Math.Log(photons[c]);
        }
        int views = lineIntegrals.Length / perView;
        int rows = geometry.Rows, channels = geometry.Channels;
        long seed = Options.Seed;
        double sigma = Options.ElectronicNoiseSigma;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, views, parallel, view =>
        {
            for (int row = 0; row < rows; row++)
            {
                if (rowPattern is not null && !rowPattern.IsActive(row))
                {
                    continue;
                }
                var random = NoiseRandom.ForRay(seed, view, row);
                Span<float> line = lineIntegrals.AsSpan((view * rows + row) * channels, channels);
                for (int c = 0; c < channels; c++)
                {
                    double count = PoissonSampler.Sample(ref random, photons[c] * Math.Exp(-line[c]));
                    if (sigma > 0)
                    {
                        count += sigma * random.NextGaussian();
                    }
                    line[c] = (float)(logPhotons[c] - Math.Log(Math.Max(count, MinimumCount)));
                }
            }
        });
    }
}
