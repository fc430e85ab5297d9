using FedNano.Dicom;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.DicomIo;

public sealed class CtImageSeriesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A 24 x 20 x 6 volume (non-square slices, so rows and columns cannot be confused) of seeded HU values.</summary>
    private static CtVolume Volume(int seed = 3, double firstZ = -12.5)
    {
        var grid = new VolumeGrid(24, 20, 6, 0.7, 1.25, firstZ);
        var rnd = new Random(seed);
        var values = new float[grid.VoxelCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(-1024 + 4000 * rnd.NextDouble());
        }
        return new CtVolume(grid, values, VolumeUnit.Hounsfield);
    }

    private static List<DicomDataset> Datasets(CtVolume volume, CtSeriesOptions? options = null) =>
        new CtImageSeriesWriter().ToDatasets(volume, SyntheticScans.Metadata(), options ?? CtSeriesOptions.Default).ToList();

    private static CtImageSeriesException Rejected(IEnumerable<DicomDataset> instances) =>
        Assert.Throws<CtImageSeriesException>(() => new CtImageSeriesReader().Read(instances));

    [Fact]
    public void Round_trip_keeps_HU_within_half_a_unit_and_the_grid_exactly()
    {
        var volume = Volume();
        var dir = _temp.Sub("images");
        new CtImageSeriesWriter().Write(volume, SyntheticScans.Metadata(), dir, CtSeriesOptions.Default);
        var read = new CtImageSeriesReader().Read(dir);
        Assert.Equal(volume.Grid, read.Grid);
        Assert.Equal(VolumeUnit.Hounsfield, read.Unit);
        for (int i = 0; i < volume.Values.Length; i++)
        {
            Assert.True(Math.Abs(read.Values[i] - volume.Values[i]) <= 0.5 + 1e-3, $"voxel {i}: {read.Values[i]} vs {volume.Values[i]}");
        }
    }

    [Fact]
    public void Image_plane_places_voxel_centres_in_patient_coordinates()
    {
        var volume = Volume();
        var slice3 = Datasets(volume)[3];
        var position = slice3.GetValues<double>(DicomTags.ImagePositionPatient);
        Assert.Equal(3, position.Length);
        Assert.Equal(volume.Grid.XMm(0), position[0], 12);
        Assert.Equal(volume.Grid.YMm(0), position[1], 12);
        Assert.Equal(volume.Grid.ZMm(3), position[2], 12);
        Assert.Equal([1.0, 0, 0, 0, 1, 0], slice3.GetValues<double>(DicomTags.ImageOrientationPatient));
        Assert.Equal([0.7, 0.7], slice3.GetValues<double>(DicomTags.PixelSpacing));
        Assert.Equal(1.25, slice3.GetValue<double>(DicomTags.SliceThickness));
        Assert.Equal(volume.Grid.ZMm(3), slice3.GetValue<double>(DicomTags.SliceLocation), 12);
        Assert.Equal(20, slice3.GetValue<int>(DicomTags.Rows));
        Assert.Equal(24, slice3.GetValue<int>(DicomTags.Columns));
        Assert.Equal(4, slice3.GetValue<int>(DicomTags.InstanceNumber));
    }

    [Fact]
    public void CT_image_attributes_come_from_the_options_and_metadata()
    {
        var options = new CtSeriesOptions("Sparse dual-domain", 7, "SHEPP-LOGAN", "1.2.826.0.1.3680043.8.498.7100", -600, 1500,
            "SSRB + fan-beam FBP; gaps filled by the projection CNN");
        var ds = Datasets(Volume(), options)[0];
        Assert.Equal(DicomUids.CTImageStorage, ds.GetString(DicomTags.SOPClassUID));
        Assert.Equal(["DERIVED", "PRIMARY", "AXIAL"], ds.GetStrings(DicomTags.ImageType));
        Assert.Equal("Sparse dual-domain", ds.GetString(DicomTags.SeriesDescription));
        Assert.Equal(7, ds.GetValue<int>(DicomTags.SeriesNumber));
        Assert.Equal("SHEPP-LOGAN", ds.GetString(DicomTags.ConvolutionKernel));
        Assert.Equal("1.2.826.0.1.3680043.8.498.7100", ds.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal(-600, ds.GetValue<double>(DicomTags.WindowCenter));
        Assert.Equal(1500, ds.GetValue<double>(DicomTags.WindowWidth));
        Assert.Equal("SSRB + fan-beam FBP; gaps filled by the projection CNN", ds.GetString(DicomTags.DerivationDescription));
        Assert.Equal("HU", ds.GetString(DicomTags.RescaleType));
        Assert.Equal(100, ds.GetValue<double>(DicomTags.KVP));
        Assert.Equal("Müller^Jürgen", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Image_series_joins_the_raw_series_study_and_frame_of_reference_with_a_new_series_uid()
    {
        var rawDir = _temp.Sub("raw");
        var scan = SyntheticScans.Create(views: 12, metadata: SyntheticScans.Metadata(withUids: false));
        new DicomCtPdWriter().Write(scan, rawDir);
        var raw = new DicomCtPdReader().Read(rawDir);
        var ds = new CtImageSeriesWriter().ToDatasets(Volume(), raw.Metadata, CtSeriesOptions.Default).First();
        Assert.NotNull(raw.Metadata.StudyInstanceUid);
        Assert.Equal(raw.Metadata.StudyInstanceUid, ds.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(raw.Metadata.FrameOfReferenceUid, ds.GetString(DicomTags.FrameOfReferenceUID));
        Assert.NotEqual(raw.Metadata.SeriesInstanceUid, ds.GetString(DicomTags.SeriesInstanceUID));
        Assert.True(DicomUid.IsValid(ds.GetString(DicomTags.SeriesInstanceUID)));
    }

    [Fact]
    public void Reusing_the_raw_series_uid_is_refused()
    {
        var options = CtSeriesOptions.Default with { SeriesInstanceUid = SyntheticScans.SeriesUid };
        var e = Assert.Throws<ArgumentException>(() => Datasets(Volume(), options));
        Assert.Contains("own Series Instance UID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attenuation_volume_is_refused()
    {
        var mu = Volume().ToAttenuation(0.0192);
        var e = Assert.Throws<ArgumentException>(() => Datasets(mu));
        Assert.Contains("ToHounsfield", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_beyond_16_bits_are_clamped()
    {
        var grid = new VolumeGrid(4, 4, 1, 1.0, 1.0, 0.0);
        var values = new float[16];
        values[0] = 40_000.4f;
        values[1] = -40_000f;
        values[2] = 12.6f;
        var read = new CtImageSeriesReader().Read(Datasets(new CtVolume(grid, values, VolumeUnit.Hounsfield)));
        Assert.Equal(32767f, read.Values[0]);
        Assert.Equal(-32768f, read.Values[1]);
        Assert.Equal(13f, read.Values[2]);
    }

    [Fact]
    public void Slices_are_ordered_by_position_not_by_input_order()
    {
        var volume = Volume();
        var shuffled = Datasets(volume).AsEnumerable().Reverse().ToList();
        var read = new CtImageSeriesReader().Read(shuffled);
        Assert.Equal(volume.Grid, read.Grid);
        Assert.Equal(MathF.Round(volume.Values[0]), read.Values[0]);
    }

    [Fact]
    public void A_missing_slice_is_unequal_spacing()
    {
        var series = Datasets(Volume());
        series.RemoveAt(2);
        Assert.Contains("unequal slice spacing", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Slices_of_different_sizes_are_refused()
    {
        var series = Datasets(Volume());
        series[4].AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)24);
        series[4].AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)20);
        var e = Rejected(series);
        Assert.Contains("slice size 20 x 24 differs from 24 x 20", e.Reason, StringComparison.Ordinal);
        Assert.Equal("input #4", e.FilePath);
    }

    [Fact]
    public void Mixed_pixel_spacing_is_refused()
    {
        var series = Datasets(Volume());
        series[1].AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.8, 0.8);
        Assert.Contains("PixelSpacing 0.8\\0.8 mm differs", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_axial_orientation_is_refused()
    {
        var series = Datasets(Volume());
        foreach (var ds in series)
        {
            ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0, 0, 0, 0, -1.0);
        }
        Assert.Contains("not axial", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_slices_at_one_position_are_refused()
    {
        var series = Datasets(Volume());
        series[3].AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, series[2].GetValues<double>(DicomTags.ImagePositionPatient));
        Assert.Contains("two slices at the same position", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Slices_shifted_sideways_are_refused()
    {
        var series = Datasets(Volume());
        var p = series[5].GetValues<double>(DicomTags.ImagePositionPatient);
        series[5].AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, p[0] + 3, p[1], p[2]);
        Assert.Contains("not stacked along the normal", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_HU_rescale_type_is_refused()
    {
        var series = Datasets(Volume());
        series[0].AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "US");
        Assert.Contains("RescaleType is 'US', not HU", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_projection_series_is_not_an_image_series()
    {
        var raw = new DicomCtPdWriter().ToDatasets(SyntheticScans.Create(views: 4)).ToList();
        Assert.True(DicomCtPdReader.IsProjectionInstance(raw[0]));
        Assert.False(DicomCtPdReader.IsProjectionInstance(Datasets(Volume())[0]));
        Assert.Contains("RescaleType is 'US', not HU", Rejected(raw).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_instances_are_refused()
    {
        Assert.Contains("no instances", Rejected([]).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A-KERNEL-NAME-TOO-LONG", 40, 400, "Convolution kernel")]
    [InlineData("RAMP", 40, 0, "width of at least 1")]
    [InlineData("RAMP", double.NaN, 400, "finite centre")]
    public void Invalid_series_options_are_refused(string kernel, double center, double width, string message)
    {
        var options = CtSeriesOptions.Default with { ConvolutionKernel = kernel, WindowCenterHu = center, WindowWidthHu = width };
        var e = Assert.Throws<ArgumentException>(() => Datasets(Volume(), options));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
