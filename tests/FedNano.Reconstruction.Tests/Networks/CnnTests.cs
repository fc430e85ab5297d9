using FedNano.Reconstruction.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Networks;

[Collection(CascadeCollection.Name)]
public sealed class CnnTests
{
    private static readonly ProjectionDomainCnnOptions SmallProjection = new(Features: 8, Layers: 4, MaxViewDilation: 2);

    [Fact]
    public void Projection_cnn_turns_a_stack_of_input_channels_into_one_sinogram_of_the_same_size()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var plain = new ProjectionDomainCnn(SmallProjection);
        using var neighbours = new ProjectionDomainCnn(SmallProjection with { NeighbourSlicesPerSide = 2, NeighbourSliceSpacingMm = 1.5 });

        Assert.Equal(2, plain.Options.InputChannels);
        Assert.Equal(6, neighbours.Options.InputChannels);
        Assert.Equal([3, 64, 48], plain.forward(rand(3, 2, 64, 48)).shape);
        Assert.Equal([1, 64, 48], neighbours.forward(rand(1, 6, 64, 48)).shape);
    }

    [Fact]
    public void Projection_cnn_output_is_its_first_input_channel_plus_a_correction()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var cnn = new ProjectionDomainCnn(SmallProjection);
        var input = rand(2, 2, 64, 48) * 6;

        var before = cnn.forward(input);
        Assert.False(CascadeTestData.Identical(before, input.select(1, 0))); // an initialised network does correct
        ZeroLayer(cnn, "layers.3.");
        var after = cnn.forward(input);

        Assert.True(CascadeTestData.Identical(after, input.select(1, 0)));
    }

    [Fact]
    public void Projection_cnn_treats_the_views_of_a_rotation_as_periodic()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var cnn = new ProjectionDomainCnn(SmallProjection);
        var input = rand(1, 2, 64, 48) * 6;

        // Rolling a full rotation by 5 views must roll the output the same way, including across view 0.
        var rolledOutput = cnn.forward(input.roll(5, 2));
        var outputRolled = cnn.forward(input).roll(5, 1);

        Assert.True(rolledOutput.allclose(outputRolled, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Projection_cnn_does_not_wrap_around_the_detector_channels()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var cnn = new ProjectionDomainCnn(SmallProjection);
        var input = rand(1, 2, 64, 48) * 6;
        var changed = input.clone();
        changed[.., .., .., -1] += 3f; // the last channel

        var difference = (cnn.forward(changed) - cnn.forward(input)).abs();

        // Channel 0 is 47 channels away from the change (more than the 4-layer receptive radius) unless it wraps.
        Assert.True(difference[.., .., 0].max().item<float>() < 1e-6f);
        Assert.True(difference[.., .., -1].max().item<float>() > 0);
    }

    [Fact]
    public void Projection_cnn_sees_as_many_views_as_its_dilated_receptive_radius()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var options = new ProjectionDomainCnnOptions(Features: 8, Layers: 6, MaxViewDilation: 4);
        using var cnn = new ProjectionDomainCnn(options);
        int radius = cnn.ViewReceptiveRadius;
        Assert.Equal(1 + 1 + 2 + 4 + 4 + 1, radius);
        var input = rand(1, 2, 64, 48) * 6;
        var changed = input.clone();
        changed[.., 0, 32, 24] += 5f;

        var difference = (cnn.forward(changed) - cnn.forward(input)).abs().select(0, 0).select(1, 24);

        Assert.True(difference[32 + radius].item<float>() > 0);
        Assert.True(difference[32 - radius].item<float>() > 0);
        Assert.True(difference[32 + radius + 1].item<float>() < 1e-6f);
        Assert.True(difference[32 - radius - 1].item<float>() < 1e-6f);
    }

    [Fact]
    public void Projection_cnn_rejects_input_with_the_wrong_channel_count()
    {
        using var scope = NewDisposeScope();
        using var cnn = new ProjectionDomainCnn(SmallProjection);

        var error = Assert.Throws<ArgumentException>(() => cnn.forward(rand(1, 3, 64, 48)));
        Assert.Contains("[batch, 2, views, channels]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, 2)]
    [InlineData(30, 3)]
    [InlineData(37, 3)]
    public void Image_cnn_returns_an_image_of_the_input_size(int size, int levels)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var cnn = new ImageDomainCnn(new ImageDomainCnnOptions(BaseFeatures: 8, Levels: levels), 0.0192);

        Assert.Equal([2, 1, size, size], cnn.forward(rand(2, 1, size, size) * 0.03).shape);
    }

    [Fact]
    public void Image_cnn_output_is_its_input_plus_a_correction()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var cnn = new ImageDomainCnn(new ImageDomainCnnOptions(BaseFeatures: 8, Levels: 2), 0.0192);
        var input = rand(1, 1, 32, 32) * 0.03;

        Assert.False(CascadeTestData.Identical(cnn.forward(input), input));
        ZeroLayer(cnn, "head.");

        Assert.True(CascadeTestData.Identical(cnn.forward(input), input));
    }

    [Fact]
    public void Image_cnn_works_in_units_of_mu_water()
    {
        using var scope = NewDisposeScope();
        var options = new ImageDomainCnnOptions(BaseFeatures: 8, Levels: 2);
        manual_seed(8);
        using var water = new ImageDomainCnn(options, 0.02);
        manual_seed(8);
        using var doubled = new ImageDomainCnn(options, 0.04);
        var input = rand(1, 1, 32, 32) * 0.04;

        // Same weights: an image in twice the units gives twice the output, so the network sees μ/μ_water.
        var expected = water.forward(input) * 2;
        var actual = doubled.forward(input * 2);

        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void Cnn_gradients_match_a_float64_reference()
    {
        // Guards the oneDNN gradient issue (ConvBlock pads channel counts) for the layer shapes the shipped layouts use:
        // 16-map dilated sinogram convolutions, 1-channel outputs, a U-Net whose decoder concatenates 16 + 8 = 24 maps,
        // and input gradients of the image CNN (they flow on into the FBP).
        using var scope = NewDisposeScope();
        var projectionOptions = new ProjectionDomainCnnOptions(Features: 16, Layers: 5, MaxViewDilation: 4);
        var imageOptions = new ImageDomainCnnOptions(BaseFeatures: 8, Levels: 2);
        manual_seed(9);
        using var projection = new ProjectionDomainCnn(projectionOptions);
        using var image = new ImageDomainCnn(imageOptions, 0.0192);
        manual_seed(9);
        using var projection64 = new ProjectionDomainCnn(projectionOptions);
        using var image64 = new ImageDomainCnn(imageOptions, 0.0192);
        projection64.to(float64);
        image64.to(float64);
        var sinograms = rand(2, 2, 64, 48) * 6;
        var images = (rand(2, 1, 32, 32) * 0.03).requires_grad_(true);
        var images64 = images.detach().to(float64).requires_grad_(true);
        var weights = rand(2, 64, 48);
        var imageWeights = rand(2, 1, 32, 32);

        (projection.forward(sinograms) * weights).sum().backward();
        (projection64.forward(sinograms.to(float64)) * weights.to(float64)).sum().backward();
        (image.forward(images) * imageWeights).sum().backward();
        (image64.forward(images64) * imageWeights.to(float64)).sum().backward();

        var pairs = projection.named_parameters().Zip(projection64.named_parameters())
            .Concat(image.named_parameters().Zip(image64.named_parameters()))
            .Select(p => (p.First.name, Grad: p.First.parameter.grad!, Reference: p.Second.parameter.grad!))
            .Append(("image input", images.grad!, images64.grad!));
        foreach (var (name, grad, reference) in pairs)
        {
            double error = (grad.to(float64) - reference).norm().item<double>() / reference.norm().item<double>();
            Assert.True(error < 1e-4, $"{name}: relative gradient error {error:G3}");
        }
    }

    [Fact]
    public void Default_layouts_have_the_documented_parameter_counts()
    {
        using var scope = NewDisposeScope();
        using var projection = new ProjectionDomainCnn(new ProjectionDomainCnnOptions());
        using var image = new ImageDomainCnn(new ImageDomainCnnOptions(), 0.0192);

        // 2→32, 6 × 32→32, 32→1 (3×3, with bias); U-Net 32/64/128 with a 1×1 head.
        Assert.Equal(608 + 6 * 9248 + 289, Count(projection));
        Assert.Equal(49, projection.ViewReceptiveRadius);
        Assert.Equal(470_977, Count(image));
    }

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    private static void ZeroLayer(nn.Module module, string prefix)
    {
        var parameters = module.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, parameters.Count); // weight and bias
        using (no_grad())
        {
            foreach (var (_, parameter) in parameters)
            {
                parameter.zero_();
            }
        }
    }
}
