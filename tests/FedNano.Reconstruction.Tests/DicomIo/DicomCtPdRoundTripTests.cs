using FedNano.Dicom;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Tests.DicomIo;

public sealed class DicomCtPdRoundTripTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ProjectionScan WriteAndRead(ProjectionScan scan, DicomCtPdWriteOptions? options = null)
    {
        var dir = _temp.Sub("raw");
        new DicomCtPdWriter(options).Write(scan, dir);
        return new DicomCtPdReader().Read(dir);
    }

    private static void AssertSameLineIntegrals(ProjectionScan expected, ProjectionScan actual)
    {
        var bound = LineIntegralScaling.For(expected.LineIntegrals).MaxAbsoluteError;
        Assert.Equal(expected.LineIntegrals.Length, actual.LineIntegrals.Length);
        double worst = 0;
        for (int i = 0; i < expected.LineIntegrals.Length; i++)
        {
            double e = expected.LineIntegrals[i];
            double err = Math.Abs(actual.LineIntegrals[i] - e);
            Assert.True(err <= bound + 1e-7 * Math.Abs(e), $"value {i}: {actual.LineIntegrals[i]} vs {e}, bound {bound}");
            worst = Math.Max(worst, err);
        }
        // The bound is tight: rounding does use most of it.
        Assert.True(worst > bound / 2, $"worst error {worst} is suspiciously far below the bound {bound}");
    }

    [Fact]
    public void Line_integrals_come_back_within_the_quantisation_bound()
    {
        var scan = SyntheticScans.Create();
        var read = WriteAndRead(scan);
        AssertSameLineIntegrals(scan, read);
    }

    [Fact]
    public void Quantisation_bound_is_half_a_stored_unit_of_a_slope_that_spans_the_data()
    {
        var scan = SyntheticScans.Create();
        var scaling = LineIntegralScaling.For(scan.LineIntegrals);
        double max = scan.LineIntegrals.Max(), min = scan.LineIntegrals.Min();
        Assert.True(min < 0);
        Assert.Equal(min, scaling.RescaleIntercept, 6);
        Assert.Equal(65535, scaling.Quantize((float)max));
        Assert.Equal(0, scaling.Quantize((float)min));
        Assert.InRange(scaling.RescaleSlope, (max - min) / 65535.0, (max - min) / 65535.0 * (1 + 1e-8));
        Assert.Equal(scaling.RescaleSlope / 2, scaling.MaxAbsoluteError);
    }

    [Fact]
    public void Geometry_comes_back_equal()
    {
        var scan = SyntheticScans.Create();
        var g = WriteAndRead(scan).Geometry;
        var e = scan.Geometry;
        Assert.Equal(e.SourceToIsocenterMm, g.SourceToIsocenterMm);
        Assert.Equal(e.SourceToDetectorMm, g.SourceToDetectorMm);
        Assert.Equal(e.DetectorShape, g.DetectorShape);
        Assert.Equal(e.Channels, g.Channels);
        Assert.Equal(e.ChannelSpacingMm, g.ChannelSpacingMm);
        Assert.Equal(e.Rows, g.Rows);
        Assert.Equal(e.RowSpacingMm, g.RowSpacingMm);
        Assert.Equal(e.CentralChannel, g.CentralChannel);
        Assert.Equal(e.CentralRow, g.CentralRow);
        Assert.Equal(e.ViewsPerRotation, g.ViewsPerRotation);
        Assert.Equal(e.PitchFactor, g.PitchFactor);
        Assert.Equal(e.StartAngleRad, g.StartAngleRad, 6);
        Assert.Equal(e.StartZMm, g.StartZMm, 5);
    }

    [Fact]
    public void Pitch_is_derived_from_the_z_progression_when_SpiralPitchFactor_is_absent()
    {
        var scan = SyntheticScans.Create(geometry: SyntheticScans.Geometry(pitch: 1.37));
        var datasets = new DicomCtPdWriter().ToDatasets(scan).ToList();
        foreach (var ds in datasets)
        {
            ds.Remove(DicomTags.SpiralPitchFactor);
        }
        var read = new DicomCtPdReader().Read(datasets);
        Assert.Equal(1.37, read.Geometry.PitchFactor, 5);
        Assert.Equal(scan.Geometry.TableFeedPerRotationMm, read.Geometry.TableFeedPerRotationMm, 4);
    }

    [Fact]
    public void Flat_detector_geometry_comes_back_flat()
    {
        var scan = SyntheticScans.Create(geometry: SyntheticScans.Geometry(shape: DetectorShape.Flat));
        Assert.Equal(DetectorShape.Flat, WriteAndRead(scan).Geometry.DetectorShape);
    }

    [Fact]
    public void Row_pattern_and_water_attenuation_come_back_equal()
    {
        var scan = SyntheticScans.Create(pattern: "2x2g2@1", muWaterPerMm: 0.019283);
        var read = WriteAndRead(scan);
        Assert.Equal(scan.RowPattern.ToString(), read.RowPattern.ToString());
        Assert.Equal([1, 2, 5, 6], read.RowPattern.ActiveRows);
        Assert.Equal(0.019283, read.MuWaterPerMm);
    }

    [Fact]
    public void Metadata_comes_back_equal()
    {
        var scan = SyntheticScans.Create();
        Assert.Equal(scan.Metadata, WriteAndRead(scan).Metadata);
    }

    [Fact]
    public void Photon_statistics_come_back_equal()
    {
        var noisy = SyntheticScans.Create(photons: true);
        Assert.Equal(noisy.PhotonsPerChannel, WriteAndRead(noisy).PhotonsPerChannel);
    }

    [Fact]
    public void Noiseless_data_have_no_photon_statistics()
    {
        var clean = SyntheticScans.Create(photons: false);
        var ds = new DicomCtPdWriter().ToDatasets(clean).First();
        Assert.Null(ds.GetPrivateTag(0x7033, "SourceDynamicsModule", 0x65) is { } t && ds.Contains(t) ? t : null);
        Assert.Null(WriteAndRead(clean).PhotonsPerChannel);
    }

    [Fact]
    public void Angles_are_written_wrapped_like_real_data_and_read_back_unwrapped()
    {
        var scan = SyntheticScans.Create(views: 80);
        Assert.True(scan.ViewAngleRad[^1] > 4 * Math.PI);
        var datasets = new DicomCtPdWriter().ToDatasets(scan).ToList();
        foreach (var ds in datasets)
        {
            float stored = ds.GetValue<float>(SyntheticScans.Private(ds, 0x7031, "DetectorDynamicsModule", 0x01));
            Assert.InRange(stored, 0f, (float)(2 * Math.PI));
        }
        var read = new DicomCtPdReader().Read(datasets);
        for (int v = 0; v < scan.Views; v++)
        {
            Assert.Equal(scan.ViewAngleRad[v], read.ViewAngleRad[v], 5);
            Assert.Equal(scan.ViewZMm[v], read.ViewZMm[v], 4);
        }
    }

    [Fact]
    public void Writes_one_file_per_view_numbered_from_one_with_channels_as_image_rows()
    {
        var scan = SyntheticScans.Create(views: 12);
        var dir = _temp.Sub("raw");
        new DicomCtPdWriter().Write(scan, dir);
        var names = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"view_{i:D6}.dcm"), names);
        var file = DicomFile.Open(Path.Combine(dir, "view_000005.dcm"));
        var ds = file.Dataset;
        Assert.Equal(5, ds.GetValue<int>(DicomTags.InstanceNumber));
        Assert.Equal(DicomUids.CTImageStorage, ds.GetString(DicomTags.SOPClassUID));
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetStrings(DicomTags.ImageType));
        Assert.Equal("CT", ds.GetString(DicomTags.Modality));
        Assert.Equal(48, ds.GetValue<int>(DicomTags.Rows));
        Assert.Equal(8, ds.GetValue<int>(DicomTags.Columns));
        Assert.Equal(0.9, ds.GetValue<double>(DicomTags.SpiralPitchFactor));
        Assert.Equal(scan.Geometry.TableFeedPerRotationMm, ds.GetValue<double>(DicomTags.TableFeedPerRotation));
        Assert.Equal(scan.Geometry.FieldOfViewDiameterMm, ds.GetValue<double>(DicomTags.DataCollectionDiameter), 9);
        Assert.Equal(100, ds.GetValue<double>(DicomTags.KVP));
        Assert.Equal(181, ds.GetValue<int>(DicomTags.XRayTubeCurrent));
        Assert.Equal(750, ds.GetValue<int>(DicomTags.ExposureTime));
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
    }

    [Fact]
    public void Both_pixel_layouts_read_the_same()
    {
        var scan = SyntheticScans.Create();
        var publicLayout = new DicomCtPdWriter().ToDatasets(scan).ToList();
        var transposed = new DicomCtPdWriter(new DicomCtPdWriteOptions(ProjectionPixelLayout.DetectorRowsAsImageRows)).ToDatasets(scan).ToList();
        Assert.Equal(48, publicLayout[0].GetValue<int>(DicomTags.Rows));
        Assert.Equal(8, transposed[0].GetValue<int>(DicomTags.Rows));
        var a = new DicomCtPdReader().Read(publicLayout);
        var b = new DicomCtPdReader().Read(transposed);
        Assert.Equal(a.LineIntegrals, b.LineIntegrals);
        AssertSameLineIntegrals(scan, b);
    }

    [Fact]
    public void Public_layout_stores_one_channel_per_image_row()
    {
        var scan = SyntheticScans.Create(views: 3);
        var ds = new DicomCtPdWriter().ToDatasets(scan).ElementAt(2);
        var stored = ds.GetValues<ushort>(DicomTags.PixelData);
        var scaling = LineIntegralScaling.For(scan.LineIntegrals);
        int channel = 17, row = 5;
        float expected = scan.View(2)[row * scan.Geometry.Channels + channel];
        Assert.Equal(scaling.Quantize(expected), stored[channel * scan.Geometry.Rows + row]);
    }

    [Fact]
    public void In_memory_datasets_read_the_same_as_files()
    {
        var scan = SyntheticScans.Create();
        var fromFiles = WriteAndRead(scan);
        var fromMemory = new DicomCtPdReader().Read(new DicomCtPdWriter().ToDatasets(scan));
        Assert.Equal(fromFiles.LineIntegrals, fromMemory.LineIntegrals);
        Assert.Equal(fromFiles.ViewAngleRad, fromMemory.ViewAngleRad);
        Assert.Equal(fromFiles.Metadata, fromMemory.Metadata);
    }

    [Fact]
    public void Implicit_VR_files_read_the_same()
    {
        var scan = SyntheticScans.Create(views: 40);
        var read = WriteAndRead(scan, new DicomCtPdWriteOptions(TransferSyntax: DicomTransferSyntax.ImplicitVRLittleEndian));
        AssertSameLineIntegrals(scan, read);
        Assert.Equal(scan.RowPattern.ToString(), read.RowPattern.ToString());
        Assert.Equal(scan.MuWaterPerMm, read.MuWaterPerMm);
        Assert.Equal(scan.Geometry.CentralChannel, read.Geometry.CentralChannel);
    }

    [Fact]
    public void Views_are_ordered_by_InstanceNumber_not_by_input_order()
    {
        var scan = SyntheticScans.Create(views: 40);
        var datasets = new DicomCtPdWriter().ToDatasets(scan).ToList();
        var shuffled = datasets.OrderBy(_ => Random.Shared.Next()).ToList();
        var read = new DicomCtPdReader().Read(shuffled);
        Assert.Equal(new DicomCtPdReader().Read(datasets).LineIntegrals, read.LineIntegrals);
        Assert.Equal(scan.Geometry.StartZMm, read.ViewZMm[0], 5);
    }

    [Fact]
    public void Series_without_the_FedNano_block_reads_as_a_dense_detector_with_the_DICOM_CT_PD_water_value()
    {
        var scan = SyntheticScans.Create(pattern: "1x8", muWaterPerMm: 0.0201);
        var datasets = new DicomCtPdWriter().ToDatasets(scan).ToList();
        foreach (var ds in datasets)
        {
            // The creator and its two elements.
            Assert.Equal(3, ds.RemoveAll(i => i.Tag.Group == 0x7051));
        }
        var read = new DicomCtPdReader().Read(datasets);
        Assert.True(read.RowPattern.IsDense);
        Assert.Equal(0.0201, read.MuWaterPerMm);
    }

    [Fact]
    public void Inactive_rows_read_back_as_exact_zeros()
    {
        var scan = SyntheticScans.Create();
        var read = WriteAndRead(scan);
        int n = scan.Geometry.Channels;
        for (int v = 0; v < read.Views; v++)
        {
            foreach (int r in new[] { 0, 3, 4, 7 })
            {
                Assert.All(read.View(v).Slice(r * n, n).ToArray(), x => Assert.Equal(0f, x));
            }
        }
    }

    [Fact]
    public void Missing_UIDs_are_generated_once_and_shared_by_every_instance()
    {
        var scan = SyntheticScans.Create(views: 10, metadata: SyntheticScans.Metadata(withUids: false));
        var datasets = new DicomCtPdWriter().ToDatasets(scan).ToList();
        foreach (var tag in new[] { DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.FrameOfReferenceUID })
        {
            var values = datasets.Select(d => d.GetString(tag)).Distinct().ToList();
            Assert.Single(values);
            Assert.True(DicomUid.IsValid(values[0]));
        }
        Assert.Equal(10, datasets.Select(d => d.GetString(DicomTags.SOPInstanceUID)).Distinct().Count());
    }

    [Fact]
    public void Progress_counts_views_written_and_read()
    {
        var scan = SyntheticScans.Create(views: 30);
        var dir = _temp.Sub("raw");
        var written = new List<int>();
        new DicomCtPdWriter().Write(scan, dir, new SynchronousProgress(written.Add));
        var read = new List<int>();
        // Views are decoded in parallel; the counts must still arrive in order.
        new DicomCtPdReader().Read(dir, new SynchronousProgress(read.Add));
        Assert.Equal(Enumerable.Range(1, 30), written);
        Assert.Equal(Enumerable.Range(1, 30), read);
    }
}
