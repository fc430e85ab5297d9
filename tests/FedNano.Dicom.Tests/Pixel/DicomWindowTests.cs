using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Pixel;

public class DicomWindowTests
{
    [Theory]
    [InlineData(-1000, 0)]
    [InlineData(-160, 0)]       // x <= c - 0.5 - (w-1)/2
    [InlineData(-159.5, 0.31954887218045)]
    [InlineData(39.5, 127.5)]   // x = c - 0.5 is the middle of the output range
    [InlineData(239, 255)]      // upper end of the ramp
    [InlineData(239.01, 255)]   // x > c - 0.5 + (w-1)/2
    [InlineData(5000, 255)]
    public void Linear_follows_the_PS3_3_formula(double x, double expected)
    {
        var window = new DicomWindow(40, 400);
        Assert.Equal(expected, window.Evaluate(x), 6);
    }

    [Fact]
    public void Linear_with_width_one_is_a_threshold_at_center_minus_one_half()
    {
        var window = new DicomWindow(100, 1);
        Assert.Equal(0, window.Map(99.5));
        Assert.Equal(255, window.Map(99.51));
        Assert.Equal(255, window.Map(100));
    }

    [Fact]
    public void Linear_width_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomWindow(0, 0.5));
    }

    [Theory]
    [InlineData(-50, 0)]
    [InlineData(-25, 63.75)]
    [InlineData(0, 127.5)]
    [InlineData(50, 255)]
    [InlineData(50.001, 255)]
    public void Linear_exact_is_centred_on_the_window(double x, double expected)
    {
        Assert.Equal(expected, new DicomWindow(0, 100, VoiLutFunction.LinearExact).Evaluate(x), 6);
    }

    [Fact]
    public void Linear_exact_accepts_widths_below_one()
    {
        var window = new DicomWindow(0, 0.5, VoiLutFunction.LinearExact);
        Assert.Equal(0, window.Map(-0.25));
        Assert.Equal(255, window.Map(0.3));
    }

    [Fact]
    public void Sigmoid_is_half_way_at_the_center_and_saturates_far_away()
    {
        var window = new DicomWindow(100, 50, VoiLutFunction.Sigmoid);
        Assert.Equal(127.5, window.Evaluate(100), 6);
        Assert.Equal(255 / (1 + Math.Exp(-4 * 25 / 50.0)), window.Evaluate(125), 6);
        Assert.Equal(0, window.Map(-10000));
        Assert.Equal(255, window.Map(10000));
    }

    [Fact]
    public void Map_rounds_to_the_nearest_output_value()
    {
        Assert.Equal(128, new DicomWindow(40, 400).Map(39.5));
    }

    [Fact]
    public void Apply_inverts_for_monochrome1()
    {
        var window = new DicomWindow(128, 256);
        var output = new byte[3];
        window.Apply([0, 127.5, 255], output, invert: true);
        Assert.Equal(new byte[] { 255, 127, 0 }, output);
    }

    [Fact]
    public void Min_max_window_maps_the_minimum_to_0_and_the_maximum_to_255()
    {
        var window = DicomWindow.FromMinMax([-1000, 0, 3000]);
        Assert.Equal(0, window.Map(-1000));
        Assert.Equal(255, window.Map(3000));
    }

    [Fact]
    public void Min_max_window_over_0_to_255_is_the_identity()
    {
        var values = Enumerable.Range(0, 256).Select(i => (double)i).ToArray();
        var window = DicomWindow.FromMinMax(values);
        Assert.All(values, v => Assert.Equal((byte)v, window.Map(v)));
    }

    [Fact]
    public void Min_max_window_ignores_pixel_padding()
    {
        var window = DicomWindow.FromMinMax([-2000, 0, 100], exclude: (-2000, -2000));
        Assert.Equal(0, window.Map(0));
        Assert.Equal(255, window.Map(100));
    }

    [Fact]
    public void Dataset_window_is_the_first_center_and_width_value()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, "40", "300")
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, "400", "1500");
        var window = DicomWindow.FromDataset(ds)!;
        Assert.Equal((40.0, 400.0, VoiLutFunction.Linear), (window.Center, window.Width, window.Function));
    }

    [Fact]
    public void Dataset_window_uses_the_VOI_LUT_function()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, "40")
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, "400")
            .AddOrUpdate(DicomTags.VOILUTFunction, DicomVR.CS, "SIGMOID");
        Assert.Equal(VoiLutFunction.Sigmoid, DicomWindow.FromDataset(ds)!.Function);
    }

    [Fact]
    public void Dataset_window_is_null_when_absent_or_invalid()
    {
        Assert.Null(DicomWindow.FromDataset(new DicomDataset()));
        var zeroWidth = new DicomDataset()
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, "40")
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, "0");
        Assert.Null(DicomWindow.FromDataset(zeroWidth));
    }

    [Fact]
    public void Default_window_falls_back_to_the_frame_min_and_max()
    {
        var pd = DicomPixelData.Create(PixelTestData.Image(1, 3, 8, [10, 20, 30]), DicomTransferSyntax.ExplicitVRLittleEndian);
        var window = DicomWindow.GetDefault(pd, pd.GetModalityValues(0));
        Assert.Equal(0, window.Map(10));
        Assert.Equal(255, window.Map(30));
    }

    [Theory]
    [InlineData(null, VoiLutFunction.Linear)]
    [InlineData("LINEAR", VoiLutFunction.Linear)]
    [InlineData("LINEAR_EXACT ", VoiLutFunction.LinearExact)]
    [InlineData("SIGMOID", VoiLutFunction.Sigmoid)]
    [InlineData("UNKNOWN", VoiLutFunction.Linear)]
    public void VOI_LUT_function_is_parsed_with_linear_as_default(string? text, VoiLutFunction expected)
    {
        Assert.Equal(expected, DicomWindow.ParseFunction(text));
    }
}
