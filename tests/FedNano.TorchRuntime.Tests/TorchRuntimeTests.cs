using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FedNano.TorchRuntime.Tests;

[Collection(TorchCollection.Name)]
public sealed class TorchRuntimeTests(TorchFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Torch_initialises_and_selects_the_cpu_device()
    {
        output.WriteLine($"torch.cuda.is_available() = {fixture.CudaAvailable}; selected device = {fixture.Device}");

        // The CPU package (TorchSharp-cpu / libtorch-cpu) is the only one served here.
        Assert.False(fixture.CudaAvailable);
        Assert.Equal(DeviceType.CPU, fixture.Device.type);
        Assert.Equal(4f, fixture.ProbeSum);

        using var scope = NewDisposeScope();
        var a = arange(6, dtype: float32).reshape(2, 3);
        var b = ones(3, 2, dtype: float32);
        var c = matmul(a, b);
        Assert.Equal(new long[] { 2, 2 }, c.shape);
        Assert.Equal(new[] { 3f, 3f, 12f, 12f }, c.data<float>().ToArray());
    }

    [Fact]
    public void Tiny_cnn_trains_with_finite_nonzero_gradients()
    {
        using var scope = NewDisposeScope();
        var device = fixture.Device;

        var model = nn.Sequential(
            ("conv1", nn.Conv2d(1, 4, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("conv2", nn.Conv2d(4, 1, 3, padding: 1)));
        model.to(device);

        var generator = new Generator(42);
        var input = randn(new long[] { 2, 1, 16, 16 }, generator: generator, device: device);
        // A target the network can approximate: a shifted, scaled copy of the input.
        var target = (input.roll(1, 3) * 0.5f + 0.1f).detach();

        var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        var losses = new List<float>();
        for (int step = 0; step < 25; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(input), target);
            loss.backward();

            foreach (var (name, p) in model.named_parameters())
            {
                var grad = p.grad;
                Assert.NotNull(grad);
                Assert.True(isfinite(grad).all().item<bool>(), $"step {step}: non-finite gradient in {name}");
                Assert.True(grad.abs().sum().item<float>() > 0f, $"step {step}: all-zero gradient in {name}");
            }

            optimizer.step();
            losses.Add(loss.item<float>());
        }

        output.WriteLine("losses: " + string.Join(", ", losses.Select(l => l.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < losses[0] * 0.9f, $"loss did not decrease: {losses[0]} -> {losses[^1]}");
    }

    /// <summary>
    /// Guards the oneDNN ISA cap in <see cref="TorchFixture"/>: float32 convolution gradients
    /// (oneDNN) must match a float64 computation (ATen's own kernels), including layers whose
    /// output channel count is not a multiple of 8/16, where the AVX2/AVX-512 JIT kernels of
    /// libtorch 2.10 return wrong input gradients on this host.
    /// </summary>
    [Theory]
    [InlineData(4, 1)]
    [InlineData(1, 4)]
    [InlineData(16, 3)]
    [InlineData(4, 16)]
    public void Conv2d_gradients_match_a_float64_reference(int inChannels, int outChannels)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = randn(2, inChannels, 16, 16);
        var w = randn(outChannels, inChannels, 3, 3);
        var b = randn(outChannels);
        var gradOut = randn(2, outChannels, 16, 16);

        var actual = ConvAndGrads(x, w, b, gradOut);
        var expected = ConvAndGrads(x.to(float64), w.to(float64), b.to(float64), gradOut.to(float64));

        string[] names = ["output", "dInput", "dWeight", "dBias"];
        for (int i = 0; i < names.Length; i++)
        {
            var reference = expected[i].to(float32);
            double relError = ((actual[i] - reference).abs().max() / reference.abs().max()).item<float>();
            output.WriteLine($"{names[i]}: relative error {relError:G3}");
            Assert.True(relError < 1e-4, $"{names[i]} of conv {inChannels}->{outChannels} is off by {relError:G3} (relative)");
        }
    }

    private static Tensor[] ConvAndGrads(Tensor x, Tensor w, Tensor b, Tensor gradOut)
    {
        x = x.detach().requires_grad_();
        w = w.detach().requires_grad_();
        b = b.detach().requires_grad_();
        var y = nn.functional.conv2d(x, w, b, padding: [1, 1]);
        var grads = torch.autograd.grad([y], [x, w, b], [gradOut]);
        return [y.detach(), grads[0], grads[1], grads[2]];
    }
}
