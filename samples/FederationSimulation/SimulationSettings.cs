using System.Globalization;

namespace FedNano.Samples.FederationSimulation;

/// <summary>The simulation's knobs (command-line <c>--name value</c>; defaults are the recipe RESULTS.md was made with).</summary>
public sealed record SimulationSettings
{
    /// <summary>Number of hospital sites.</summary>
    public int Sites { get; init; } = 3;

    /// <summary>Phantom patients in the pool split over the sites.</summary>
    public int Cases { get; init; } = 240;

    /// <summary>Random extra stack levels per patient besides one through each finding.</summary>
    public int ExtraSlices { get; init; } = 2;

    /// <summary>Dirichlet concentration of the finding-type skew (small = more non-IID).</summary>
    public double DirichletAlpha { get; init; } = 0.5;

    /// <summary>Share of each site's patients held out for its test set.</summary>
    public double TestFraction { get; init; } = 0.3;

    /// <summary>Image noise (σ, HU) of the first and the last site; sites between are spaced evenly.</summary>
    public double MinNoiseHu { get; init; } = 10;

    /// <summary>See <see cref="MinNoiseHu"/>.</summary>
    public double MaxNoiseHu { get; init; } = 60;

    /// <summary>Federated rounds (and rounds of local-only / centralised training).</summary>
    public int Rounds { get; init; } = 4;

    /// <summary>Local steps per round and site.</summary>
    public int Steps { get; init; } = 30;

    /// <summary>Batch size of a step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>AdamW learning rate of the adapters.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>NanoAdapter rank.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>NanoAdapter α (scale α/r).</summary>
    public double AdapterAlpha { get; init; } = 16;

    /// <summary>FedProx μ.</summary>
    public double FedProxMu { get; init; } = 0.01;

    /// <summary>Samples of the per-site empirical Fisher.</summary>
    public int FisherSamples { get; init; } = 32;

    /// <summary>Split activations on the wire: fp32 or fp16.</summary>
    public string ActivationPrecision { get; init; } = "fp16";

    /// <summary>Seed of partitions, rendering, adapters and batches.</summary>
    public int Seed { get; init; } = 11;

    /// <summary>Reads <c>--name value</c> pairs over the defaults.</summary>
    /// <exception cref="ArgumentException">An unknown option or a malformed value.</exception>
    public static SimulationSettings Parse(IReadOnlyList<string> args, out Dictionary<string, string> other)
    {
        var s = new SimulationSettings();
        other = [];
        var inv = CultureInfo.InvariantCulture;
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count) throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            string name = args[i][2..], v = args[++i];
            int I() => int.Parse(v, inv);
            double D() => double.Parse(v, inv);
            s = name switch
            {
                "sites" => s with { Sites = I() },
                "cases" => s with { Cases = I() },
                "extra-slices" => s with { ExtraSlices = I() },
                "dirichlet-alpha" => s with { DirichletAlpha = D() },
                "test-fraction" => s with { TestFraction = D() },
                "min-noise-hu" => s with { MinNoiseHu = D() },
                "max-noise-hu" => s with { MaxNoiseHu = D() },
                "rounds" => s with { Rounds = I() },
                "steps" => s with { Steps = I() },
                "batch" => s with { BatchSize = I() },
                "lr" => s with { LearningRate = D() },
                "rank" => s with { Rank = I() },
                "adapter-alpha" => s with { AdapterAlpha = D() },
                "fedprox-mu" => s with { FedProxMu = D() },
                "fisher-samples" => s with { FisherSamples = I() },
                "precision" => s with { ActivationPrecision = v },
                "seed" => s with { Seed = I() },
                _ => Other(s, name, v, other),
            };
        }
        if (s.Sites < 2 || s.Cases < 8 * s.Sites || s.Rounds < 1 || s.Steps < 1) throw new ArgumentException("Need ≥ 2 sites, ≥ 8 cases per site, ≥ 1 round and ≥ 1 step.");
        return s;
    }

    private static SimulationSettings Other(SimulationSettings s, string name, string value, Dictionary<string, string> other)
    {
        if (name is not ("out" or "work" or "methods")) throw new ArgumentException($"Unknown option --{name}.");
        other[name] = value;
        return s;
    }
}
