using FedNano.Dicom;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;

namespace FedNano.DicomService.Tests.Reconstruction;

/// <summary>
/// One simulated sparse-row helical chest scan (the demo scanner, noiseless, a short stack) as DICOM-CT-PD Part 10
/// files, with its phantom truth, shared by the reconstruction-service tests.
/// </summary>
public sealed class RawScanFixture
{
    public RawScanFixture()
    {
        var request = new SimulationRequest { Phantom = "chest", Seed = 7, ImageSize = 128, Slices = 2, SliceSpacingMm = 1.5 };
        var simulated = CaseSimulator.Simulate(request);
        Scan = new ProjectionScan(simulated.Scan.Geometry, simulated.Scan.RowPattern, simulated.Scan.LineIntegrals, simulated.Scan.ViewAngleRad,
            simulated.Scan.ViewZMm, simulated.Scan.MuWaterPerMm, ScanUids.Complete(simulated.Scan.Metadata), simulated.Scan.PhotonsPerChannel);
        Truth = simulated.Truth.Hounsfield;
        Views = new DicomCtPdWriter().ToDatasets(Scan).Select(Encode).ToArray();
        StudyInstanceUid = Scan.Metadata.StudyInstanceUid!;
        SeriesInstanceUid = Scan.Metadata.SeriesInstanceUid!;
        TruthSlices = new CtImageSeriesWriter().ToDatasets(Truth, Scan.Metadata, new CtSeriesOptions("Truth", 100, "NONE")).Select(Encode).ToArray();
    }

    public ProjectionScan Scan { get; }

    public CtVolume Truth { get; }

    /// <summary>The raw views as Part 10 files, InstanceNumber order.</summary>
    public byte[][] Views { get; }

    /// <summary>The truth as an ordinary CT image series in the same study (not projection data).</summary>
    public byte[][] TruthSlices { get; }

    public string StudyInstanceUid { get; }

    public string SeriesInstanceUid { get; }

    public static byte[] Encode(DicomDataset ds)
    {
        using var ms = new MemoryStream();
        new DicomFile(ds).Save(ms, DicomTransferSyntax.ExplicitVRLittleEndian);
        return ms.ToArray();
    }

    /// <summary>The views with one changed by <paramref name="edit"/> (new SOP Instance UIDs for all, a new series).</summary>
    public byte[][] Edited(Func<int, DicomDataset, DicomDataset?> edit, string seriesUid)
    {
        return new DicomCtPdWriter().ToDatasets(Scan).Select((ds, i) =>
        {
            ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
            return edit(i, ds);
        }).Where(ds => ds is not null).Select(ds => Encode(ds!)).ToArray();
    }
}
