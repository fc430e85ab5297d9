using FedNano.FederatedMLLM.Radiology;
using FedNano.Testing;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>ct_input.json: the window and the standardisation the encoder was trained with.</summary>
public sealed class CtInputSpecTests : IDisposable
{
    private readonly TempDirectory _work = new("ct-input");

    public void Dispose() => _work.Dispose();

    [Fact]
    public void A_voxel_is_windowed_then_standardised()
    {
        var spec = new CtInputSpec { PixelMean = 0.4, PixelStd = 0.25 };
        double windowed = (-855 - (-600 - 750)) / 1500.0; // lung at the default lung window
        Assert.Equal((windowed - 0.4) / 0.25, spec.Pixel(-855), 5);
    }

    [Fact]
    public void Standardising_a_tensor_agrees_with_the_voxel_formula()
    {
        var spec = new CtInputSpec { PixelMean = 0.45, PixelStd = 0.3 };
        using var windowed = tensor(new[] { 0f, 0.45f, 1f });
        Assert.Equal([-1.5f, 0f, 0.55f / 0.3f], spec.Standardise(windowed).data<float>().ToArray(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void The_standardisation_survives_save_and_load_and_an_old_file_without_it_means_none()
    {
        var dir = _work.Combine("spec");
        Directory.CreateDirectory(dir);
        new CtInputSpec { PixelMean = 0.4455, PixelStd = 0.3007 }.Save(dir);
        var loaded = CtInputSpec.Load(dir);
        Assert.Equal(0.4455, loaded.PixelMean);
        Assert.Equal(0.3007, loaded.PixelStd);

        File.WriteAllText(Path.Combine(dir, CtInputSpec.FileName), """{ "slices": 3, "imageSize": 128 }""");
        var old = CtInputSpec.Load(dir);
        Assert.Equal(new CtInputSpec().Window.Apply(-855), old.Pixel(-855));
    }

    [Theory]
    [InlineData("""{ "pixelStd": 0 }""")]
    [InlineData("""{ "pixelStd": -1 }""")]
    public void A_spec_whose_standard_deviation_is_not_positive_is_refused(string json)
    {
        var dir = _work.Combine("bad" + json.Length + json[^3]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, CtInputSpec.FileName), json);
        var error = Assert.Throws<FormatException>(() => CtInputSpec.Load(dir));
        Assert.Contains("pixelStd", error.Message, StringComparison.Ordinal);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
