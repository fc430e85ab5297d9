using FedNano.Reconstruction.DicomIo;

namespace FedNano.Reconstruction.Tests.DicomIo;

public sealed class LineIntegralScalingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1234)]
    [InlineData(100_002)]
    public void A_non_finite_value_is_found_wherever_it_is(int index)
    {
        var values = Enumerable.Range(0, 100_003).Select(i => (float)(i % 97) / 10).ToArray();
        values[index] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => LineIntegralScaling.For(values));
        Assert.Contains($"index {index} is Infinity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_negative_data_keep_zero_exact()
    {
        var scaling = LineIntegralScaling.For([0f, 2.5f, 7.25f]);
        Assert.Equal(0, scaling.RescaleIntercept);
        Assert.Equal(0, scaling.Quantize(0f));
        Assert.Equal(0f, scaling.Restore(0));
        Assert.Equal(65535, scaling.Quantize(7.25f));
    }

    [Fact]
    public void All_zero_data_get_a_usable_slope()
    {
        var scaling = LineIntegralScaling.For(new float[10]);
        Assert.True(scaling.RescaleSlope > 0);
        Assert.Equal(0f, scaling.Restore(scaling.Quantize(0f)));
    }

    [Fact]
    public void Slope_and_intercept_are_exactly_what_DS_carries()
    {
        var scaling = LineIntegralScaling.For([-0.0123456789f, 9.87654321f]);
        Assert.Equal(scaling.RescaleSlope, double.Parse(scaling.SlopeText, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(scaling.RescaleIntercept, double.Parse(scaling.InterceptText, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(scaling.SlopeText.Length <= 16 && scaling.InterceptText.Length <= 16);
    }

    [Fact]
    public void Span_quantisation_transposes_and_matches_the_scalar_path()
    {
        var scaling = LineIntegralScaling.For([0f, 4f]);
        float[] line = [0.3f, 1.7f, 3.9f];
        var stored = new ushort[9];
        scaling.Quantize(line, stored, 1, 3);
        Assert.Equal([0, scaling.Quantize(0.3f), 0, 0, scaling.Quantize(1.7f), 0, 0, scaling.Quantize(3.9f), 0], stored);
    }
}
