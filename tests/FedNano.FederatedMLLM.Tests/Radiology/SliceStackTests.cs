using FedNano.Dicom;
using FedNano.FederatedMLLM.Radiology;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Radiology;

/// <summary>The encoder input is built from an axial CT series the way the model was trained: resampled, windowed, standardised.</summary>
public sealed class SliceStackTests
{
    private static AxialCtSeries Uniform(double hu, int size = 16, double pixelMm = 2) =>
        AxialCtSeries.Read(Enumerable.Range(0, 5).Select(k => CtInstances.Slice(-10 + 5 * k, size, pixelMm, (_, _) => hu)));

    [Fact]
    public void Pixels_inside_the_series_are_windowed_and_standardised_with_the_spec()
    {
        var spec = new CtInputSpec { ImageSize = 8, FieldOfViewMm = 16, PixelMean = 0.45, PixelStd = 0.3 };
        var pixels = SliceStack.Build(Uniform(-855), spec, 0);
        float expected = (float)((spec.Window.Apply(-855) - 0.45) / 0.3);
        Assert.Equal(3 * 8 * 8, pixels.Length);
        Assert.All(pixels, p => Assert.Equal(expected, p, 4));
    }

    [Fact]
    public void Outside_the_images_reads_as_standardised_air()
    {
        var spec = new CtInputSpec { ImageSize = 8, FieldOfViewMm = 200, PixelMean = 0.45, PixelStd = 0.3 };
        var pixels = SliceStack.Build(Uniform(40), spec, 0);
        Assert.Equal((float)((spec.Window.Apply(-1000) - 0.45) / 0.3), pixels[0], 4);
    }

    [Fact]
    public void A_stack_beyond_the_last_slice_reads_as_air()
    {
        var spec = new CtInputSpec { ImageSize = 4, FieldOfViewMm = 8 };
        var pixels = SliceStack.Build(Uniform(40), spec, 100);
        Assert.All(pixels, p => Assert.Equal((float)spec.Pixel(-1000), p, 5));
    }

    [Fact]
    public void Planes_between_slices_interpolate_linearly_in_z()
    {
        var series = AxialCtSeries.Read([CtInstances.Slice(0, 4, 1, (_, _) => -800), CtInstances.Slice(10, 4, 1, (_, _) => -400)]);
        Assert.Equal(-700, series.Sample(0, 0, 2.5), 3);
        Assert.Equal(-800, series.Sample(0, 0, -2), 3); // within half the gap of the first slice
        Assert.Equal(-1000, series.Sample(0, 0, -6), 3);
    }

    [Fact]
    public void An_image_off_the_scan_axis_is_sampled_in_patient_coordinates()
    {
        // Column c holds HU = 10·c; the first pixel sits at x = 50 mm, so x = 53 mm is column 3 (30 HU).
        var series = AxialCtSeries.Read([CtInstances.Slice(0, 8, 1, (c, _) => 10 * c, originXMm: 50, originYMm: -3.5)]);
        Assert.Equal(30, series.Sample(53, 0, 0), 3);
        Assert.Equal(35, series.Sample(53.5, 0, 0), 3);
        Assert.Equal(-1000, series.Sample(0, 0, 0), 3);
    }

    [Fact]
    public void The_slices_are_sorted_by_position_whatever_the_order_given()
    {
        var series = AxialCtSeries.Read([CtInstances.Slice(10, 4, 1, (_, _) => 0), CtInstances.Slice(-5, 4, 1, (_, _) => 0), CtInstances.Slice(0, 4, 1, (_, _) => 0)]);
        Assert.Equal([-5.0, 0, 10], series.Slices.Select(s => s.ZMm));
        Assert.Equal(0, series.MiddleZMm);
    }

    [Fact]
    public void A_non_axial_image_is_refused_naming_the_instance()
    {
        var slice = CtInstances.Slice(0, 4, 1, (_, _) => 0);
        slice.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 0.0, -1.0);
        var e = Assert.Throws<FormatException>(() => AxialCtSeries.Read([slice]));
        Assert.Contains(slice.GetString(DicomTags.SOPInstanceUID)!, e.Message, StringComparison.Ordinal);
        Assert.Contains("not axial", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_images_at_the_same_position_are_refused()
    {
        var e = Assert.Throws<FormatException>(() => AxialCtSeries.Read([CtInstances.Slice(0, 4, 1, (_, _) => 0), CtInstances.Slice(0, 4, 1, (_, _) => 0)]));
        Assert.Contains("both at z = 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_position_is_refused()
    {
        var slice = CtInstances.Slice(0, 4, 1, (_, _) => 0);
        slice.Remove(DicomTags.ImagePositionPatient);
        var e = Assert.Throws<FormatException>(() => AxialCtSeries.Read([slice]));
        Assert.Contains("ImagePositionPatient", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_images_is_refused() => Assert.Throws<FormatException>(() => AxialCtSeries.Read([]));
}
