using FedNano.FederatedMLLM.Federation;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>FedAvg, FedProx and Fisher merging on small cases computed by hand.</summary>
public sealed class AggregatorTests
{
    private static AdapterSet Set(params float[] values) => new([new AdapterTensor("image.down.weight", [values.Length], values)]);

    private static SiteUpdate Site(string id, long n, float[] theta, float[]? fisher = null) =>
        new(id, Set(theta), n, fisher is null ? null : Set(fisher));

    private static readonly AdapterSet Global = Set(0, 0);

    [Fact]
    public void FedAvg_is_the_sample_weighted_mean()
    {
        // (1·[1, 2] + 3·[5, 6]) / 4 = [4, 5]
        var merged = new FedAvg().Aggregate(Global, [Site("a", 1, [1, 2]), Site("b", 3, [5, 6])]);
        Assert.Equal([4f, 5f], merged.Flatten());
    }

    [Fact]
    public void FedProx_averages_like_FedAvg_and_asks_sites_for_its_proximal_term()
    {
        var fedProx = new FedProx(0.1);
        var merged = fedProx.Aggregate(Global, [Site("a", 1, [1, 2]), Site("b", 3, [5, 6])]);
        Assert.Equal([4f, 5f], merged.Flatten());
        Assert.Equal(0.1, fedProx.ProximalMu);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FedProx(0));
    }

    [Fact]
    public void Fisher_merging_weights_each_parameter_by_the_normalised_Fisher_of_each_site()
    {
        // Site a: F = [3, 1], mean 2 → F̂ = [1.5, 0.5]; site b: F = [1, 1] → F̂ = [1, 1]; λ = ½ each.
        // θ₀ = (½·1.5·1 + ½·1·3) / (½·1.5 + ½·1) = 2.25 / 1.25 = 1.8
        // θ₁ = (½·0.5·10 + ½·1·20) / (½·0.5 + ½·1) = 12.5 / 0.75 = 16.666…
        var merged = new FisherMerge().Aggregate(Global, [Site("a", 1, [1, 10], [3, 1]), Site("b", 1, [3, 20], [1, 1])]);
        var values = merged.Flatten();
        Assert.Equal(1.8, values[0], 5);
        Assert.Equal(50.0 / 3, values[1], 4);
    }

    [Fact]
    public void A_sites_Fisher_scale_does_not_change_the_merge()
    {
        var merger = new FisherMerge();
        var a = merger.Aggregate(Global, [Site("a", 2, [1, 10], [3, 1]), Site("b", 1, [3, 20], [1, 1])]).Flatten();
        var b = merger.Aggregate(Global, [Site("a", 2, [1, 10], [3000, 1000]), Site("b", 1, [3, 20], [1, 1])]).Flatten();
        Assert.Equal(a[0], b[0], 5);
        Assert.Equal(a[1], b[1], 4);
    }

    [Fact]
    public void Sample_counts_weight_the_Fisher_merge()
    {
        // Equal normalised Fisher: the merge is the sample-weighted mean, (3·1 + 1·5) / 4 = 2.
        var merged = new FisherMerge().Aggregate(Set(0), [Site("a", 3, [1], [2]), Site("b", 1, [5], [7])]);
        Assert.Equal(2.0, merged.Flatten()[0], 5);
    }

    [Fact]
    public void A_parameter_no_site_has_Fisher_for_falls_back_to_the_FedAvg_mean_not_zero()
    {
        var merged = new FisherMerge().Aggregate(Global, [Site("a", 1, [2, 1], [0, 1]), Site("b", 1, [4, 3], [0, 1])]);
        Assert.Equal(3.0, merged.Flatten()[0], 5);
        Assert.Equal(2.0, merged.Flatten()[1], 5);
    }

    [Fact]
    public void Fisher_merging_refuses_an_update_without_a_Fisher_estimate()
    {
        var error = Assert.Throws<ArgumentException>(() => new FisherMerge().Aggregate(Global, [Site("a", 1, [1, 2], [1, 1]), Site("b", 1, [1, 2])]));
        Assert.Contains("Site b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregating_nothing_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new FedAvg().Aggregate(Global, []));
    }
}

/// <summary>Update-level differential privacy: clipping and Gaussian noise.</summary>
public sealed class PrivacyTests
{
    private static AdapterSet Set(params float[] v) => new([new AdapterTensor("text.up.weight", [v.Length], v)]);

    [Fact]
    public void Without_noise_an_update_is_clipped_to_the_bound_along_its_direction()
    {
        var result = LocalTraining.Privatise(Set(3, 4), Set(0, 0), new LocalTrainingOptions { DpClipNorm = 1 }, new Random(1)).Flatten();
        Assert.Equal(0.6, result[0], 5);
        Assert.Equal(0.8, result[1], 5);
    }

    [Fact]
    public void An_update_within_the_bound_is_unchanged_without_noise()
    {
        Assert.Equal([1.3f, 2.4f], LocalTraining.Privatise(Set(1.3f, 2.4f), Set(1, 2), new LocalTrainingOptions { DpClipNorm = 10 }, new Random(1)).Flatten());
    }

    [Fact]
    public void The_noise_has_the_standard_deviation_of_sigma_times_the_clip_norm()
    {
        var zeros = new float[20_000];
        var noisy = LocalTraining.Privatise(Set(zeros), Set(zeros), new LocalTrainingOptions { DpClipNorm = 0.5, DpNoiseMultiplier = 2 }, new Random(7)).Flatten();
        double mean = noisy.Average(v => (double)v), sd = Math.Sqrt(noisy.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(sd, 0.98, 1.02); // σ·C = 1
        Assert.InRange(mean, -0.03, 0.03);
    }

    [Fact]
    public void Noise_without_a_clip_norm_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LocalTrainingOptions { DpNoiseMultiplier = 1 }.Validate());
    }
}
