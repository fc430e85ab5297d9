using FedNano.Dicom;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Workflows;

namespace FedNano.PacsBridge.Tests;

/// <summary>A short simulated sparse-row helical chest scan as DICOM-CT-PD Part 10 files; each call of <see cref="NewSeries"/> gives it fresh UIDs (a new patient visit).</summary>
public sealed class RawScan
{
    private static readonly Lazy<ProjectionScan> Simulated = new(() =>
        CaseSimulator.Simulate(new SimulationRequest { Phantom = "chest", Seed = 7, ImageSize = 128, Slices = 2, SliceSpacingMm = 1.5 }).Scan);

    private RawScan(ProjectionScan scan, byte[][] views)
    {
        Scan = scan;
        Views = views;
    }

    /// <summary>The scan with its UIDs.</summary>
    public ProjectionScan Scan { get; }

    /// <summary>The views, InstanceNumber order.</summary>
    public byte[][] Views { get; }

    /// <summary>Study Instance UID.</summary>
    public string Study => Scan.Metadata.StudyInstanceUid!;

    /// <summary>Series Instance UID of the raw views.</summary>
    public string Series => Scan.Metadata.SeriesInstanceUid!;

    /// <summary>The scan under new UIDs; <paramref name="keep"/> can drop views (an incomplete series), <paramref name="edit"/> change them.</summary>
    public static RawScan NewSeries(Func<int, bool>? keep = null, Action<int, DicomDataset>? edit = null)
    {
        var s = Simulated.Value;
        var scan = new ProjectionScan(s.Geometry, s.RowPattern, s.LineIntegrals, s.ViewAngleRad, s.ViewZMm, s.MuWaterPerMm,
            ScanUids.Complete(s.Metadata with { PatientId = "BRIDGE-" + Guid.NewGuid().ToString("N")[..8] }), s.PhotonsPerChannel);
        var views = new DicomCtPdWriter().ToDatasets(scan).Select((ds, i) => { edit?.Invoke(i, ds); return ds; }).Where((_, i) => keep?.Invoke(i) ?? true).Select(ds =>
        {
            using var ms = new MemoryStream();
            new DicomFile(ds).Save(ms, DicomTransferSyntax.ExplicitVRLittleEndian);
            return ms.ToArray();
        }).ToArray();
        return new RawScan(scan, views);
    }
}
