using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Networks;

public class DifferentiableFbpTests
{
    private static readonly ImageGrid2D Grid = FbpTestData.Grid128;

    // The torch-ops backend and the repeated reconstructions of the finite differences are slow on CPU: 64² keeps them cheap.
    private static readonly ImageGrid2D SmallGrid = FbpTestData.Grid64;

    public DifferentiableFbpTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Output_equals_the_reference_fbp_for_every_batch_item(bool withChannelDimension)
    {
        var fan = FbpTestData.SmallFullScan;
        var reference = new FanBeamFbp(fan, Grid, ReconstructionFilter.SheppLogan);
        float[][] sinograms = [FbpTestData.CylinderSinogram(fan), FbpTestData.HeadSinogram(fan)];
        using var module = new DifferentiableFanBeamFbp(fan, Grid);

        using var input = Batch(sinograms, fan, withChannelDimension);
        using var output = module.forward(input);

        Assert.Equal(new long[] { 2, 1, Grid.Size, Grid.Size }, output.shape);
        for (int item = 0; item < sinograms.Length; item++)
        {
            float[] expected = reference.Reconstruct(sinograms[item]);
            double difference = FbpTestData.RelativeMaxDifference(Values(output[item]), expected);
            Assert.True(difference <= 1e-5, $"item {item}: max |module − reference| / max |reference| = {difference:E2}");
        }
    }

    [Fact]
    public void Short_scan_output_equals_the_parker_weighted_reference_fbp()
    {
        var fan = FbpTestData.SmallShortScan;
        var reference = new FanBeamFbp(fan, Grid, ReconstructionFilter.Hann, 0.8);
        float[] sinogram = FbpTestData.CylinderSinogram(fan);
        using var module = new DifferentiableFanBeamFbp(fan, Grid, ReconstructionFilter.Hann, 0.8);

        using var input = Batch([sinogram], fan);
        using var output = module.forward(input);

        Assert.True(module.IsShortScan);
        double difference = FbpTestData.RelativeMaxDifference(Values(output), reference.Reconstruct(sinogram));
        Assert.True(difference <= 1e-5, $"max |module − reference| / max |reference| = {difference:E2}");
    }

    [Fact]
    public void Views_covering_less_than_a_short_scan_are_rejected_like_the_reference()
    {
        var fan = FbpTestData.SmallShortScan with { Views = 300 };

        var error = Assert.Throws<ArgumentException>(() => new DifferentiableFanBeamFbp(fan, Grid));

        Assert.Contains("short scan", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DetectorShape.Curved, 96, true)]
    [InlineData(DetectorShape.Curved, 100, true)]
    [InlineData(DetectorShape.Curved, 100, false)]
    [InlineData(DetectorShape.Flat, 100, true)]
    public void Kernel_adjoint_passes_the_dot_product_test(DetectorShape shape, int size, bool allowVector)
    {
        var fan = FbpTestData.CompactFullScan(shape);
        var grid = new ImageGrid2D(size, 4.0);
        float[] sinogram = FbpTestData.Uniform(fan.Views * fan.Channels, seed: 1);
        float[] image = FbpTestData.Uniform(size * size, seed: 2);

        var projected = new float[size * size];
        FanBeamBackprojector.BackprojectInto(fan, sinogram, grid, projected, 1.0, allowVector);
        var adjoint = new float[fan.Views * fan.Channels];
        FanBeamBackprojector.AdjointInto(fan, image, grid, adjoint, 1.0, allowVector);

        double left = FbpTestData.Dot(projected, image), right = FbpTestData.Dot(sinogram, adjoint);
        Assert.True(Math.Abs(left - right) <= 1e-4 * Math.Abs(left), $"<Bs, x> = {left:E6}, <s, B^T x> = {right:E6}");
    }

    [Theory]
    [InlineData(BackprojectionBackend.Kernel)]
    [InlineData(BackprojectionBackend.TorchOps)]
    public void Backprojection_gradient_passes_the_dot_product_test(BackprojectionBackend backend)
    {
        var fan = FbpTestData.SmallFullScan;
        using var module = new DifferentiableFanBeamFbp(fan, SmallGrid, options: new BackprojectionOptions(backend));
        using var scope = NewDisposeScope();
        var sinogram = tensor(FbpTestData.Uniform(2 * fan.Views * fan.Channels, seed: 3), [2, fan.Views, fan.Channels]).requires_grad_();
        var image = tensor(FbpTestData.Uniform(2 * SmallGrid.Size * SmallGrid.Size, seed: 4), [2, 1, SmallGrid.Size, SmallGrid.Size]);

        var projected = module.Backproject(sinogram);
        (projected * image).sum().backward();

        double left = FbpTestData.Dot(Values(projected), Values(image));
        double right = FbpTestData.Dot(Values(sinogram), Values(sinogram.grad!));
        Assert.True(Math.Abs(left - right) <= 1e-4 * Math.Abs(left), $"<Bs, x> = {left:E6}, <s, B^T x> = {right:E6}");
    }

    [Fact]
    public void Gradient_of_a_weighted_image_sum_matches_central_differences()
    {
        var fan = FbpTestData.SmallFullScan;
        float[] sinogram = FbpTestData.CylinderSinogram(fan);
        float[] weights = FbpTestData.Uniform(SmallGrid.Size * SmallGrid.Size, seed: 5, low: 0f);
        using var module = new DifferentiableFanBeamFbp(fan, SmallGrid);
        float[] gradient = WeightedSumGradient(module, sinogram, weights);

        // The FBP is linear, so a central difference has no truncation error: only the float32 rounding of the two
        // reconstructions remains (≈1e-4 of a typical derivative for a step of 1; line integrals here are ≤ 6). It is
        // absolute, so the tolerance is 1e-3 of the derivative, but at least 1e-5 of the largest one.
        const float step = 1f;
        double floor = 1e-5 * gradient.Max(g => Math.Abs(g));
        var random = new Random(6);
        for (int trial = 0; trial < 4; trial++)
        {
            int view = random.Next(fan.Views), channel = 100 + random.Next(fan.Channels - 200);
            int at = view * fan.Channels + channel;
            double plus = WeightedSum(module, Perturbed(sinogram, at, step), weights);
            double minus = WeightedSum(module, Perturbed(sinogram, at, -step), weights);
            double centralDifference = (plus - minus) / (2 * step);
            Assert.True(Math.Abs(centralDifference - gradient[at]) <= Math.Max(1e-3 * Math.Abs(gradient[at]), floor),
                $"sample (view {view}, channel {channel}): autograd {gradient[at]:E6}, central difference {centralDifference:E6}");
        }
    }

    [Fact]
    public void Gradient_is_the_filter_transpose_of_the_backprojection_adjoint()
    {
        var fan = FbpTestData.SmallFullScan;
        float[] weights = FbpTestData.Uniform(Grid.Size * Grid.Size, seed: 7);
        using var module = new DifferentiableFanBeamFbp(fan, Grid);
        float[] gradient = WeightedSumGradient(module, FbpTestData.HeadSinogram(fan), weights);

        var backprojectedAdjoint = new float[fan.Views * fan.Channels];
        FanBeamBackprojector.AdjointInto(fan, weights, Grid, backprojectedAdjoint);
        float[] expected = FilterTranspose(new RampFilter(fan, ReconstructionFilter.SheppLogan), fan, backprojectedAdjoint);

        double difference = FbpTestData.RelativeMaxDifference(gradient, expected);
        Assert.True(difference <= 1e-4, $"max |autograd − FᵀBᵀw| / max |FᵀBᵀw| = {difference:E2}");
    }

    [Theory]
    [InlineData(DetectorShape.Curved)]
    [InlineData(DetectorShape.Flat)]
    public void Torch_ops_backend_matches_the_kernel_backend_in_value_and_gradient(DetectorShape shape)
    {
        var fan = FbpTestData.CompactFullScan(shape);
        float[][] sinograms = [FbpTestData.CylinderSinogram(fan), FbpTestData.HeadSinogram(fan)];
        float[] weights = FbpTestData.Uniform(2 * SmallGrid.Size * SmallGrid.Size, seed: 8);
        // A small chunk budget so the torch-ops path runs several chunks, the last one partial.
        using var kernel = new DifferentiableFanBeamFbp(fan, SmallGrid, options: new BackprojectionOptions(BackprojectionBackend.Kernel));
        using var ops = new DifferentiableFanBeamFbp(fan, SmallGrid,
            options: new BackprojectionOptions(BackprojectionBackend.TorchOps, TorchOpsChunkElements: 2L * 50 * SmallGrid.Size * SmallGrid.Size));

        var (kernelImage, kernelGradient) = ImageAndGradient(kernel, sinograms, weights, fan);
        var (opsImage, opsGradient) = ImageAndGradient(ops, sinograms, weights, fan);

        double imageDifference = FbpTestData.RelativeMaxDifference(opsImage, kernelImage);
        double gradientDifference = FbpTestData.RelativeMaxDifference(opsGradient, kernelGradient);
        Assert.True(imageDifference <= 1e-4, $"image: max |ops − kernel| / max |kernel| = {imageDifference:E2}");
        Assert.True(gradientDifference <= 1e-4, $"gradient: max |ops − kernel| / max |kernel| = {gradientDifference:E2}");
    }

    [Fact]
    public void Module_has_no_trainable_parameters_and_passes_gradients_to_its_input()
    {
        var fan = FbpTestData.SmallFullScan;
        using var module = new DifferentiableFanBeamFbp(fan, Grid);
        using var scope = NewDisposeScope();
        var input = tensor(FbpTestData.CylinderSinogram(fan), [1, fan.Views, fan.Channels]).requires_grad_();

        var output = module.forward(input);
        output.sum().backward();

        Assert.Empty(module.parameters());
        Assert.True(output.requires_grad);
        Assert.NotNull(input.grad);
        Assert.True(input.grad!.abs().max().item<float>() > 0f);
    }

    [Fact]
    public void Fixed_operator_adds_nothing_to_a_checkpoint()
    {
        using var module = new DifferentiableFanBeamFbp(FbpTestData.SmallFullScan, Grid);

        Assert.Empty(module.state_dict());
    }

    [Fact]
    public void Module_built_inside_a_dispose_scope_outlives_it()
    {
        var fan = FbpTestData.SmallFullScan;
        DifferentiableFanBeamFbp module;
        using (var scope = NewDisposeScope())
        {
            module = new DifferentiableFanBeamFbp(fan, SmallGrid);
        }
        using (module)
        using (var input = tensor(FbpTestData.CylinderSinogram(fan), [1, fan.Views, fan.Channels]))
        using (var output = module.forward(input))
        {
            float[] expected = new FanBeamFbp(fan, SmallGrid, ReconstructionFilter.SheppLogan).Reconstruct(FbpTestData.CylinderSinogram(fan));
            Assert.Equal(0.0, FbpTestData.RelativeMaxDifference(Values(output), expected));
        }
    }

    [Theory]
    [InlineData(new long[] { 2, 576, 369 })]
    [InlineData(new long[] { 576, 368 })]
    [InlineData(new long[] { 2, 3, 576, 368 })]
    public void Wrong_input_shape_is_rejected_naming_expected_and_actual_shapes(long[] shape)
    {
        using var module = new DifferentiableFanBeamFbp(FbpTestData.SmallFullScan, Grid);
        using var input = zeros(shape);

        var error = Assert.Throws<ArgumentException>(() => module.forward(input));

        Assert.Contains("[B, 576, 368]", error.Message, StringComparison.Ordinal);
        Assert.Contains($"[{string.Join(", ", shape)}]", error.Message, StringComparison.Ordinal);
        Assert.Equal("input", error.ParamName);
    }

    [Fact]
    public void Non_float32_input_is_rejected()
    {
        using var module = new DifferentiableFanBeamFbp(FbpTestData.SmallFullScan, Grid);
        using var input = zeros([1, 576, 368], ScalarType.Float64);

        var error = Assert.Throws<ArgumentException>(() => module.forward(input));

        Assert.Contains("Float64", error.Message, StringComparison.Ordinal);
    }

    private static Tensor Batch(float[][] sinograms, FanBeamGeometry fan, bool withChannelDimension = false)
    {
        var flat = sinograms.SelectMany(s => s).ToArray();
        return withChannelDimension
            ? tensor(flat, [sinograms.Length, 1, fan.Views, fan.Channels])
            : tensor(flat, [sinograms.Length, fan.Views, fan.Channels]);
    }

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    private static float[] Perturbed(float[] values, int at, float delta)
    {
        var copy = (float[])values.Clone();
        copy[at] += delta;
        return copy;
    }

    private static double WeightedSum(DifferentiableFanBeamFbp module, float[] sinogram, float[] weights)
    {
        using var scope = NewDisposeScope();
        var g = module.Geometry;
        var image = module.forward(tensor(sinogram, [1, g.Views, g.Channels]));
        return FbpTestData.Dot(Values(image), weights);
    }

    private static float[] WeightedSumGradient(DifferentiableFanBeamFbp module, float[] sinogram, float[] weights)
    {
        var g = module.Geometry;
        using var scope = NewDisposeScope();
        var input = tensor(sinogram, [1, g.Views, g.Channels]).requires_grad_();
        var image = module.forward(input);
        (image * tensor(weights, [1, 1, module.Grid.Size, module.Grid.Size])).sum().backward();
        return Values(input.grad!);
    }

    private static (float[] Image, float[] Gradient) ImageAndGradient(DifferentiableFanBeamFbp module, float[][] sinograms, float[] weights, FanBeamGeometry fan)
    {
        using var scope = NewDisposeScope();
        var input = Batch(sinograms, fan).requires_grad_();
        var image = module.forward(input);
        (image * tensor(weights, image.shape)).sum().backward();
        return (Values(image), Values(input.grad!));
    }

    // Fᵀy for the filter F s = first C samples of (h ⊛ (pre-weights · s)) with h the circular kernel of length P:
    // (Fᵀy)[c'] = pre[c'] · Σ_c h[(c − c') mod P] · y[c], evaluated directly in double.
    private static float[] FilterTranspose(RampFilter filter, FanBeamGeometry fan, float[] y)
    {
        int padded = filter.PaddedLength, channels = fan.Channels;
        double[] kernel;
        using (var spectrum = filter.KernelSpectrum())
        using (var wide = spectrum.to_type(ScalarType.ComplexFloat64))
        using (var samples = fft.irfft(wide, padded))
        {
            kernel = samples.data<double>().ToArray();
        }
        float[] preWeights = filter.PreWeights.ToArray();
        var result = new float[y.Length];
        Parallel.For(0, fan.Views, v =>
        {
            for (int target = 0; target < channels; target++)
            {
                double sum = 0;
                for (int c = 0; c < channels; c++)
                {
                    sum += kernel[((c - target) % padded + padded) % padded] * y[v * channels + c];
                }
                result[v * channels + target] = (float)(preWeights[target] * sum);
            }
        });
        return result;
    }
}
