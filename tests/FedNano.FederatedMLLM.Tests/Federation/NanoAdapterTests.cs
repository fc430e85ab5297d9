using FedNano.FederatedMLLM.Federation;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>NanoAdapter: h + (α/r)·B·A·h, the identity while B is zero.</summary>
public sealed class NanoAdapterTests
{
    [Fact]
    public void A_fresh_adapter_is_the_identity()
    {
        manual_seed(1);
        using var adapter = new NanoAdapter("image", 16, 4, 8);
        using var h = randn(2, 5, 16);
        Assert.True(adapter.forward(h).eq(h).all().item<bool>());
    }

    [Fact]
    public void A_trained_adapter_adds_the_scaled_low_rank_product()
    {
        manual_seed(2);
        using var adapter = new NanoAdapter("image", 6, 2, 4); // scale α/r = 2
        var parameters = adapter.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad()) parameters["up.weight"].normal_();
        using var h = randn(3, 6);
        var expected = h + 2 * h.matmul(parameters["down.weight"].t()).matmul(parameters["up.weight"].t());
        Assert.True(adapter.forward(h).allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.Equal([2L, 6L], parameters["down.weight"].shape);
        Assert.Equal([6L, 2L], parameters["up.weight"].shape);
    }

    [Fact]
    public void Gradients_reach_B_first_because_A_alone_cannot_change_the_output()
    {
        manual_seed(3);
        using var adapter = new NanoAdapter("text", 8, 2, 2);
        using var h = randn(4, 8);
        adapter.forward(h).pow(2).sum().backward();
        var grads = adapter.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        Assert.Equal(0f, grads["down.weight"].abs().sum().item<float>());
        Assert.True(grads["up.weight"].abs().sum().item<float>() > 0);
    }
}
