using FedNano.DicomService.Questions;
using FedNano.FederatedMLLM.Radiology;
using FedNano.Reconstruction.Volumes;
using Xunit;

namespace FedNano.DicomService.Tests.Questions;

/// <summary>The service builds the encoder input the way the model was trained: windowed, then standardised.</summary>
public sealed class SliceStackTests
{
    private static CtVolume Uniform(float hu) => new(new VolumeGrid(16, 16, 5, 2, 5, -10), Enumerable.Repeat(hu, 16 * 16 * 5).ToArray(), VolumeUnit.Hounsfield);

    [Fact]
    public void Pixels_inside_the_volume_are_windowed_and_standardised_with_the_spec()
    {
        var spec = new CtInputSpec { ImageSize = 8, FieldOfViewMm = 16, PixelMean = 0.45, PixelStd = 0.3 };
        var pixels = SliceStack.Build(Uniform(-855), spec, 0);
        float expected = (float)((spec.Window.Apply(-855) - 0.45) / 0.3);
        Assert.Equal(3 * 8 * 8, pixels.Length);
        Assert.All(pixels, p => Assert.Equal(expected, p, 4));
    }

    [Fact]
    public void Outside_the_volume_reads_as_standardised_air()
    {
        var spec = new CtInputSpec { ImageSize = 8, FieldOfViewMm = 200, PixelMean = 0.45, PixelStd = 0.3 };
        var pixels = SliceStack.Build(Uniform(40), spec, 0);
        Assert.Equal((float)((spec.Window.Apply(-1000) - 0.45) / 0.3), pixels[0], 4);
    }
}
