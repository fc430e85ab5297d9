using FedNano.Reconstruction.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Networks;

/// <summary>
/// The convolution block's float32 gradients (the oneDNN path on CPU) must match the same block run in float64, for
/// output counts that are and are not multiples of oneDNN's SIMD block: libtorch 2.10 gets the latter wrong on AVX-512
/// hosts unless the block pads its output maps.
/// </summary>
[Collection(CascadeCollection.Name)]
public sealed class ConvBlockTests
{
    [Theory]
    [InlineData(1, ConvBlockPadding.Zeros, 1)]
    [InlineData(8, ConvBlockPadding.Zeros, 1)]
    [InlineData(16, ConvBlockPadding.Zeros, 1)]
    [InlineData(24, ConvBlockPadding.Zeros, 1)]
    [InlineData(1, ConvBlockPadding.CircularViews, 4)]
    [InlineData(8, ConvBlockPadding.CircularViews, 1, 2)]
    [InlineData(16, ConvBlockPadding.CircularViews, 1, 2)]
    [InlineData(16, ConvBlockPadding.Zeros, 1, 24, 32, 32)]
    [InlineData(8, ConvBlockPadding.Zeros, 1, 24, 32, 32)]
    [InlineData(32, ConvBlockPadding.Zeros, 1, 48, 32, 32)]
    [InlineData(16, ConvBlockPadding.Zeros, 1, 40, 32, 32)]
    [InlineData(12, ConvBlockPadding.CircularViews, 2)]
    [InlineData(32, ConvBlockPadding.CircularViews, 8)]
    public void Float32_input_and_weight_gradients_match_a_float64_reference(int outChannels, ConvBlockPadding padding, int dilation, int inChannels = 16, int views = 40, int channels = 36)
    {
        using var scope = NewDisposeScope();
        manual_seed(100 + outChannels);
        using var block = new ConvBlock("probe", inChannels, outChannels, padding, activation: outChannels != 1, dilation: dilation);
        var input = randn(2, inChannels, views, channels);
        var upstream = randn(2, outChannels, views, channels);

        var (inputGrad32, weightGrad32) = Gradients(block, input, upstream);
        block.to(ScalarType.Float64);
        var (inputGrad64, weightGrad64) = Gradients(block, input.to(float64), upstream.to(float64));

        Assert.True(inputGrad32.isfinite().all().item<bool>());
        Assert.True(RelativeError(inputGrad32, inputGrad64) < 1e-5, $"input gradient error {RelativeError(inputGrad32, inputGrad64)}");
        Assert.True(RelativeError(weightGrad32, weightGrad64) < 1e-5, $"weight gradient error {RelativeError(weightGrad32, weightGrad64)}");
    }

    [Fact]
    public void Padded_output_maps_leave_the_parameter_shapes_of_the_checkpoint_unchanged()
    {
        using var scope = NewDisposeScope();
        using var block = new ConvBlock("probe", 16, 24, ConvBlockPadding.Zeros);

        var shapes = block.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal([24, 16, 3, 3], shapes["conv.weight"]);
        Assert.Equal([24], shapes["conv.bias"]);
        Assert.Equal([1, 24, 10, 12], block.forward(randn(1, 16, 10, 12)).shape);
    }

    private static (Tensor Input, Tensor Weight) Gradients(ConvBlock block, Tensor input, Tensor upstream)
    {
        block.zero_grad();
        var x = input.detach().requires_grad_(true);
        var y = block.forward(x);
        (y * upstream).sum().backward();
        var weight = block.named_parameters().Single(p => p.name == "conv.weight").parameter;
        return (x.grad!.detach().to(float64), weight.grad!.detach().to(float64));
    }

    private static double RelativeError(Tensor actual, Tensor reference) =>
        ((actual - reference).norm() / reference.norm()).item<double>();
}
