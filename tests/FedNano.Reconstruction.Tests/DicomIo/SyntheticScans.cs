using FedNano.Dicom;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Tests.DicomIo;

/// <summary>
/// Small deterministic projection scans built directly (no projector): seeded random line integrals on the active
/// rows of a sparse pattern, a little negative noise, more than two rotations so that angles wrap at 2π.
/// </summary>
internal static class SyntheticScans
{
    public const string StudyUid = "1.2.826.0.1.3680043.8.498.7001";
    public const string SeriesUid = "1.2.826.0.1.3680043.8.498.7002";
    public const string FrameOfReferenceUid = "1.2.826.0.1.3680043.8.498.7003";

    public static ScanMetadata Metadata(bool withUids = true) => new(
        "Müller^Jürgen",
        "PID-0007",
        withUids ? StudyUid : null,
        withUids ? SeriesUid : null,
        withUids ? FrameOfReferenceUid : null,
        "Chest phantom",
        "Sparse helical raw data",
        KvP: 100,
        TubeCurrentMa: 180.5,
        ExposureTimeMs: 750.25);

    /// <summary>A 48-channel, 8-row curved detector, 36 views per rotation, pitch 0.9, pattern 2x2g2 (rows 1, 2, 5, 6).</summary>
    public static HelicalGeometry Geometry(double pitch = 0.9, DetectorShape shape = DetectorShape.Curved) =>
        new(595.0, 1085.6, shape, 48, 10.0, 8, 1.0947, 24.25, 4.5, 36, pitch, startAngleRad: 0.3, startZMm: -5.0);

    public static ProjectionScan Create(int views = 80, int seed = 1, string pattern = "2x2g2", bool photons = true,
        HelicalGeometry? geometry = null, ScanMetadata? metadata = null, double muWaterPerMm = 0.0195)
    {
        var g = geometry ?? Geometry();
        var rowPattern = SparseRowPattern.Parse(pattern, g.Rows);
        var rnd = new Random(seed);
        var data = new float[views * g.Rows * g.Channels];
        for (int v = 0; v < views; v++)
        {
            foreach (int r in rowPattern.ActiveRows)
            {
                for (int c = 0; c < g.Channels; c++)
                {
                    // Mostly 0..8 (attenuation through a body), occasionally slightly negative (noisy air).
                    data[(v * g.Rows + r) * g.Channels + c] = rnd.Next(20) == 0
                        ? (float)(-0.05 * rnd.NextDouble())
                        : (float)(8.0 * rnd.NextDouble());
                }
            }
        }
        var angles = Enumerable.Range(0, views).Select(v => g.SourceAngleRad(v)).ToArray();
        var z = Enumerable.Range(0, views).Select(v => g.SourceZMm(v)).ToArray();
        var i0 = photons ? Enumerable.Range(0, g.Channels).Select(c => (float)(1e5 * (1 + 0.01 * c))).ToArray() : null;
        return new ProjectionScan(g, rowPattern, data, angles, z, muWaterPerMm, metadata ?? Metadata(), i0);
    }

    /// <summary>The tag a DICOM-CT-PD private element has in <paramref name="ds"/> (block of its creator).</summary>
    public static DicomTag Private(DicomDataset ds, ushort group, string creator, byte element) =>
        ds.GetPrivateTag(group, creator, element) ?? throw new InvalidOperationException($"No {creator} block in group {group:X4}.");
}
