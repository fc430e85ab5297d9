using FedNano.FederatedMLLM.Federation;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>A bad site update is rejected with a reason; a good one passes.</summary>
public sealed class UpdateValidatorTests
{
    private static readonly AdapterSet Global = new([new AdapterTensor("image.down.weight", [2, 2], [0, 0, 0, 0]), new AdapterTensor("image.up.weight", [2], [1, 1])]);

    private static readonly UpdateValidator Validator = new(new UpdateValidationOptions { MaxUpdateNorm = 5 });

    private static SiteUpdate Update(float[] down, float[] up, long n = 10, AdapterSet? fisher = null, long[]? downShape = null) =>
        new("site-a", new AdapterSet([new AdapterTensor("image.down.weight", downShape ?? [2, 2], down), new AdapterTensor("image.up.weight", [2], up)]), n, fisher);

    [Fact]
    public void A_finite_update_within_the_norm_bound_is_accepted_with_its_norm()
    {
        var verdict = Validator.Check(Global, Update([3, 0, 0, 0], [1, 5]), needsFisher: false);
        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Equal(5.0, verdict.UpdateNorm!.Value, 6); // √(3² + 4²)
    }

    [Fact]
    public void A_NaN_adapter_value_is_rejected_naming_the_tensor_and_element()
    {
        var verdict = Validator.Check(Global, Update([0, 0, float.NaN, 0], [1, 1]), needsFisher: false);
        Assert.False(verdict.Accepted);
        Assert.Contains("'image.down.weight'", verdict.Reason);
        Assert.Contains("element 2", verdict.Reason);
    }

    [Fact]
    public void An_infinite_value_is_rejected()
    {
        Assert.False(Validator.Check(Global, Update([0, 0, 0, 0], [float.PositiveInfinity, 1]), needsFisher: false).Accepted);
    }

    [Fact]
    public void An_update_beyond_the_norm_bound_is_rejected_with_its_norm()
    {
        var verdict = Validator.Check(Global, Update([6, 0, 0, 0], [1, 1]), needsFisher: false);
        Assert.False(verdict.Accepted);
        Assert.Contains("exceeds the bound 5", verdict.Reason);
        Assert.Equal(6.0, verdict.UpdateNorm!.Value, 6);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_rejected_naming_both_shapes()
    {
        var verdict = Validator.Check(Global, Update([0, 0, 0, 0], [1, 1], downShape: [4, 1]), needsFisher: false);
        Assert.False(verdict.Accepted);
        Assert.Contains("[4, 1], expected [2, 2]", verdict.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(20_000_000)]
    public void An_implausible_sample_count_is_rejected(long n)
    {
        var verdict = Validator.Check(Global, Update([0, 0, 0, 0], [1, 1], n), needsFisher: false);
        Assert.False(verdict.Accepted);
        Assert.Contains("sample count", verdict.Reason);
    }

    [Fact]
    public void A_missing_or_negative_Fisher_is_rejected_when_the_aggregator_needs_it()
    {
        Assert.Contains("no Fisher", Validator.Check(Global, Update([0, 0, 0, 0], [1, 1]), needsFisher: true).Reason);
        var negative = Global.With([[1, 1, -1, 1], [1, 1]]);
        var verdict = Validator.Check(Global, Update([0, 0, 0, 0], [1, 1], fisher: negative), needsFisher: true);
        Assert.False(verdict.Accepted);
        Assert.Contains("Fisher tensor 'image.down.weight'", verdict.Reason);
    }
}
