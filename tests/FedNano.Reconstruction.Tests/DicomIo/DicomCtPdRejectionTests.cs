using FedNano.Dicom;
using FedNano.Reconstruction.DicomIo;

namespace FedNano.Reconstruction.Tests.DicomIo;

/// <summary>Series the reader must refuse, each with a reason that names the problem and the instance.</summary>
public sealed class DicomCtPdRejectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<DicomDataset> Series(int views = 40) =>
        new DicomCtPdWriter().ToDatasets(SyntheticScans.Create(views: views)).ToList();

    private static ProjectionDataException Rejected(IEnumerable<DicomDataset> instances) =>
        Assert.Throws<ProjectionDataException>(() => new DicomCtPdReader().Read(instances));

    private static DicomTag Tag(DicomDataset ds, ushort group, string creator, byte element) =>
        SyntheticScans.Private(ds, group, creator, element);

    [Fact]
    public void No_instances()
    {
        var e = Rejected([]);
        Assert.Contains("no instances", e.Reason, StringComparison.Ordinal);
        var empty = _temp.Sub("empty");
        Directory.CreateDirectory(empty);
        var fromDirectory = Assert.Throws<ProjectionDataException>(() => new DicomCtPdReader().Read(empty));
        Assert.Contains("no instances", fromDirectory.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_tag_is_named()
    {
        var series = Series();
        var ds = series[6];
        Assert.True(ds.Remove(Tag(ds, 0x7029, "DetectorSystemArrangementModule", 0x10)));
        var e = Rejected(series);
        Assert.Contains("missing required tag", e.Reason, StringComparison.Ordinal);
        Assert.Contains("NumberofDetectorRows", e.Reason, StringComparison.Ordinal);
        Assert.Equal(7, e.InstanceNumber);
        Assert.Equal(6, e.InputIndex);
    }

    [Fact]
    public void Missing_public_tag_is_named()
    {
        var series = Series();
        series[3].Remove(DicomTags.InstanceNumber);
        var e = Rejected(series);
        Assert.Contains("missing required tag InstanceNumber (0020,0013)", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_geometry_across_instances_is_named()
    {
        var series = Series();
        var ds = series[11];
        ds.AddOrUpdate(Tag(ds, 0x7031, "DetectorDynamicsModule", 0x31), DicomVR.FL, 1000.5f);
        var e = Rejected(series);
        Assert.Contains("mixed geometry across instances", e.Reason, StringComparison.Ordinal);
        Assert.Contains("ConstantRadialDistance is '1000.5'", e.Reason, StringComparison.Ordinal);
        Assert.Equal(12, e.InstanceNumber);
    }

    [Fact]
    public void Instances_of_another_series_are_mixed_geometry()
    {
        var series = Series();
        series[5].AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3.4");
        Assert.Contains("SeriesInstanceUID", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicated_InstanceNumber()
    {
        var series = Series();
        series[9].AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 9);
        var e = Rejected(series);
        Assert.Contains("duplicated view: InstanceNumber 9 occurs twice", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicated_angle_and_z()
    {
        var series = Series();
        var copy = series[4].Clone();
        copy.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, series.Count + 1);
        copy.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        series.Add(copy);
        var e = Rejected(series);
        Assert.Contains("duplicated view: angle", e.Reason, StringComparison.Ordinal);
        Assert.Contains("repeat InstanceNumber 5", e.Reason, StringComparison.Ordinal);
        Assert.Equal(series.Count, e.InstanceNumber);
    }

    [Fact]
    public void Gap_in_InstanceNumber()
    {
        var series = Series();
        series.RemoveAt(20);
        var e = Rejected(series);
        Assert.Contains("gap in InstanceNumber: 20 is followed by 22 (1 view(s) missing)", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_in_a_directory_names_the_file()
    {
        var dir = _temp.Sub("raw");
        new DicomCtPdWriter().Write(SyntheticScans.Create(views: 30), dir);
        File.Delete(Path.Combine(dir, "view_000011.dcm"));
        var e = Assert.Throws<ProjectionDataException>(() => new DicomCtPdReader().Read(dir));
        Assert.Contains("gap in InstanceNumber", e.Reason, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(dir, "view_000012.dcm"), e.FilePath);
        Assert.Contains("view_000012.dcm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixel_size_not_matching_the_declared_detector()
    {
        var series = Series();
        var ds = series[2];
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)24);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)16);
        var e = Rejected(series);
        Assert.Contains("pixel size Rows 24 x Columns 16 does not match the declared detector of 48 channels", e.Reason, StringComparison.Ordinal);
        Assert.Equal(3, e.InstanceNumber);
    }

    [Fact]
    public void Z_that_is_not_monotonic()
    {
        var series = Series();
        var zTag = Tag(series[0], 0x7031, "DetectorDynamicsModule", 0x02);
        var z14 = series[14].GetValue<float>(zTag);
        series[14].AddOrUpdate(zTag, DicomVR.FL, series[15].GetValue<float>(zTag));
        series[15].AddOrUpdate(zTag, DicomVR.FL, z14);
        var e = Rejected(series);
        Assert.Contains("inconsistent z progression: z is not monotonic increasing", e.Reason, StringComparison.Ordinal);
        Assert.Equal(16, e.InstanceNumber);
    }

    [Fact]
    public void Z_step_that_is_not_constant()
    {
        var series = Series();
        var zTag = Tag(series[0], 0x7031, "DetectorDynamicsModule", 0x02);
        foreach (var ds in series.Skip(25))
        {
            ds.AddOrUpdate(zTag, DicomVR.FL, ds.GetValue<float>(zTag) + 1.0f);
        }
        var e = Rejected(series);
        Assert.Contains("inconsistent z progression: the step from InstanceNumber 25", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Angles_that_do_not_advance_by_one_angular_step()
    {
        var series = Series();
        var angleTag = Tag(series[0], 0x7031, "DetectorDynamicsModule", 0x01);
        series[10].AddOrUpdate(angleTag, DicomVR.FL, series[10].GetValue<float>(angleTag) + 0.05f);
        var e = Rejected(series);
        Assert.Contains("inconsistent angle progression", e.Reason, StringComparison.Ordinal);
        Assert.Equal(11, e.InstanceNumber);
    }

    [Theory]
    [InlineData(0x7037, "ProjectionDataDefinitions", 0x09, "CONEBEAM", "TypeofProjectionData is 'CONEBEAM': only HELICAL")]
    [InlineData(0x7037, "ProjectionDataDefinitions", 0x0A, "PARALLEL", "only FANBEAM")]
    [InlineData(0x7039, "PreprocessingFlagsModule", 0x09, "NO", "LogFlag is 'NO'")]
    [InlineData(0x7033, "SourceDynamicsModule", 0x0E, "FFSZ", "flying focal spot")]
    [InlineData(0x7029, "DetectorSystemArrangementModule", 0x0B, "SPHERICAL", "only CYLINDRICAL and FLAT")]
    public void Data_it_cannot_handle_says_so(int group, string creator, int element, string value, string reason)
    {
        var series = Series();
        foreach (var ds in series)
        {
            ds.AddOrUpdate(Tag(ds, (ushort)group, creator, (byte)element), DicomVR.CS, value);
        }
        Assert.Contains(reason, Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Axial_data_at_several_table_positions_is_not_read()
    {
        var series = Series();
        foreach (var ds in series)
        {
            ds.AddOrUpdate(Tag(ds, 0x7037, "ProjectionDataDefinitions", 0x09), DicomVR.CS, "AXIAL");
        }
        Assert.Contains("AXIAL data at several table positions", Rejected(series).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Axial_data_at_one_table_position_reads_as_pitch_zero()
    {
        var scan = SyntheticScans.Create(views: 36, geometry: SyntheticScans.Geometry(pitch: 0));
        var datasets = new DicomCtPdWriter().ToDatasets(scan).ToList();
        Assert.Equal("AXIAL", datasets[0].GetString(Tag(datasets[0], 0x7037, "ProjectionDataDefinitions", 0x09)));
        Assert.Equal(0, new DicomCtPdReader().Read(datasets).Geometry.PitchFactor);
    }

    [Fact]
    public void A_file_that_is_not_DICOM_is_named()
    {
        var dir = _temp.Sub("raw");
        new DicomCtPdWriter().Write(SyntheticScans.Create(views: 10), dir);
        var junk = Path.Combine(dir, "notes.txt");
        File.WriteAllText(junk, "not a DICOM file");
        var e = Assert.Throws<ProjectionDataException>(() => new DicomCtPdReader().Read(dir));
        Assert.Contains("not a readable DICOM file", e.Reason, StringComparison.Ordinal);
        Assert.Equal(junk, e.FilePath);
    }

    [Fact]
    public void A_row_pattern_that_does_not_fit_the_detector()
    {
        var series = Series();
        foreach (var ds in series)
        {
            ds.AddOrUpdate(Tag(ds, 0x7051, "FEDNANO SPARSE DETECTOR 1.0", 0x01), DicomVR.LO, "4x4g4");
        }
        Assert.Contains("is not a row pattern of the 8-row detector", Rejected(series).Reason, StringComparison.Ordinal);
    }
}
