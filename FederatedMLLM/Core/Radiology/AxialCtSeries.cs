using System.Globalization;
using FedNano.Dicom;

namespace FedNano.FederatedMLLM.Radiology;

/// <summary>One axial CT image in HU, placed in patient coordinates.</summary>
/// <param name="ZMm">Position along the slice normal (ImagePositionPatient z).</param>
/// <param name="OriginXMm">x of the first pixel's centre.</param>
/// <param name="OriginYMm">y of the first pixel's centre.</param>
/// <param name="ColumnSpacingMm">Distance between columns (PixelSpacing[1]).</param>
/// <param name="RowSpacingMm">Distance between rows (PixelSpacing[0]).</param>
/// <param name="Rows">Image rows.</param>
/// <param name="Columns">Image columns.</param>
/// <param name="Hu">Values, row-major, after the modality rescale.</param>
/// <param name="SopInstanceUid">The instance it came from.</param>
public sealed record AxialCtSlice(double ZMm, double OriginXMm, double OriginYMm, double ColumnSpacingMm, double RowSpacingMm, int Rows, int Columns, float[] Hu, string SopInstanceUid);

/// <summary>
/// An axial CT image series as the model's input sees it: slices sorted by z, each in HU and placed in patient
/// coordinates. Unlike a reconstruction volume grid it accepts what PACS series from any scanner look like (images off
/// the scan axis, any pixel spacing, unequal slice gaps); it rejects what cannot be sampled as axial planes.
/// The service's question answering and the sites' training data are both built from it, so the model sees the same
/// input at a site and at the server.
/// </summary>
public sealed class AxialCtSeries
{
    private static readonly double[] Axial = [1, 0, 0, 0, 1, 0];
    private const double OrientationTolerance = 1e-3;

    private AxialCtSeries(IReadOnlyList<AxialCtSlice> slices, double halfThicknessMm)
    {
        Slices = slices;
        HalfThicknessMm = halfThicknessMm;
    }

    /// <summary>The slices, by increasing z.</summary>
    public IReadOnlyList<AxialCtSlice> Slices { get; }

    /// <summary>How far beyond the first and last slice a plane still reads from them (half the end gap, or half SliceThickness).</summary>
    public double HalfThicknessMm { get; }

    /// <summary>z of the middle slice (the default centre of a question's or a training sample's stack).</summary>
    public double MiddleZMm => Slices[Slices.Count / 2].ZMm;

    /// <summary>Reads CT image instances (Part 10 datasets; encapsulated pixel data must be RLE) as one series.</summary>
    /// <exception cref="FormatException">No instances, or one that is not an axial, decodable CT image; the message names the instance and the reason.</exception>
    public static AxialCtSeries Read(IEnumerable<DicomDataset> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var slices = new List<AxialCtSlice>();
        double? thickness = null;
        foreach (var ds in instances)
        {
            ArgumentNullException.ThrowIfNull(ds, nameof(instances));
            var (slice, t) = Parse(ds);
            slices.Add(slice);
            thickness ??= t;
        }
        if (slices.Count == 0) throw new FormatException("The series holds no images.");
        slices.Sort((a, b) => a.ZMm.CompareTo(b.ZMm));
        for (int k = 1; k < slices.Count; k++)
            if (slices[k].ZMm - slices[k - 1].ZMm < 1e-3)
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Instances {slices[k - 1].SopInstanceUid} and {slices[k].SopInstanceUid} are both at z = {slices[k].ZMm} mm."));
        double half = slices.Count > 1
            ? Math.Min(slices[1].ZMm - slices[0].ZMm, slices[^1].ZMm - slices[^2].ZMm) / 2
            : (thickness ?? 1) / 2;
        return new AxialCtSeries(slices, half);
    }

    /// <summary>The HU value at patient position (x, y, z): bilinear in the plane, linear between neighbouring slices; air (−1000 HU) outside the images.</summary>
    public double Sample(double xMm, double yMm, double zMm)
    {
        const double AirHu = -1000;
        if (zMm < Slices[0].ZMm - HalfThicknessMm || zMm > Slices[^1].ZMm + HalfThicknessMm) return AirHu;
        int upper = 0;
        while (upper < Slices.Count && Slices[upper].ZMm < zMm) upper++;
        if (upper == 0) return InPlane(Slices[0], xMm, yMm);
        if (upper == Slices.Count) return InPlane(Slices[^1], xMm, yMm);
        var a = Slices[upper - 1];
        var b = Slices[upper];
        double f = (zMm - a.ZMm) / (b.ZMm - a.ZMm);
        return InPlane(a, xMm, yMm) * (1 - f) + InPlane(b, xMm, yMm) * f;
    }

    private static double InPlane(AxialCtSlice s, double xMm, double yMm)
    {
        const double AirHu = -1000;
        double i = (xMm - s.OriginXMm) / s.ColumnSpacingMm, j = (yMm - s.OriginYMm) / s.RowSpacingMm;
        if (i < 0 || j < 0 || i > s.Columns - 1 || j > s.Rows - 1) return AirHu;
        int i0 = Math.Min((int)i, Math.Max(0, s.Columns - 2)), j0 = Math.Min((int)j, Math.Max(0, s.Rows - 2));
        int i1 = Math.Min(i0 + 1, s.Columns - 1), j1 = Math.Min(j0 + 1, s.Rows - 1);
        double fi = i - i0, fj = j - j0;
        var v = s.Hu;
        double top = v[j0 * s.Columns + i0] * (1 - fi) + v[j0 * s.Columns + i1] * fi;
        double bottom = v[j1 * s.Columns + i0] * (1 - fi) + v[j1 * s.Columns + i1] * fi;
        return top * (1 - fj) + bottom * fj;
    }

    private static (AxialCtSlice Slice, double? ThicknessMm) Parse(DicomDataset ds)
    {
        string uid = ds.GetString(DicomTags.SOPInstanceUID) ?? "(no SOP Instance UID)";
        if (ds.GetString(DicomTags.RescaleType) is { Length: > 0 } type && !type.Trim().Equals("HU", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"Instance {uid}: RescaleType is '{type.Trim()}', not HU.");
        var orientation = Numbers(ds, DicomTags.ImageOrientationPatient, "ImageOrientationPatient", 6, uid);
        for (int c = 0; c < 6; c++)
            if (Math.Abs(orientation[c] - Axial[c]) > OrientationTolerance)
                throw new FormatException($"Instance {uid}: ImageOrientationPatient {ds.GetString(DicomTags.ImageOrientationPatient)} is not axial (1\\0\\0\\0\\1\\0).");
        var position = Numbers(ds, DicomTags.ImagePositionPatient, "ImagePositionPatient", 3, uid);
        var spacing = Numbers(ds, DicomTags.PixelSpacing, "PixelSpacing", 2, uid);
        if (spacing[0] <= 0 || spacing[1] <= 0) throw new FormatException($"Instance {uid}: PixelSpacing {ds.GetString(DicomTags.PixelSpacing)} must be positive.");
        var syntax = ds.GetItem(DicomTags.PixelData) is DicomFragmentSequence ? DicomTransferSyntax.RLELossless : DicomTransferSyntax.ExplicitVRLittleEndian;
        double[] stored;
        DicomPixelData pixels;
        try
        {
            pixels = DicomPixelData.Create(ds, syntax);
            if (!pixels.IsMonochrome || pixels.SamplesPerPixel != 1) throw new FormatException($"Instance {uid}: {pixels.PhotometricInterpretation} is not a monochrome CT image.");
            stored = pixels.GetFrame<double>(0);
        }
        catch (Exception e) when (e is DicomDataException or IOException or InvalidOperationException)
        {
            throw new FormatException($"Instance {uid}: pixel data cannot be decoded: {e.Message}", e);
        }
        double slope = ds.TryGetValue<double>(DicomTags.RescaleSlope, out var m) && m != 0 && double.IsFinite(m) ? m : 1;
        double intercept = ds.TryGetValue<double>(DicomTags.RescaleIntercept, out var b) && double.IsFinite(b) ? b : 0;
        var hu = new float[stored.Length];
        for (int i = 0; i < hu.Length; i++) hu[i] = (float)(stored[i] * slope + intercept);
        double? thickness = ds.TryGetValue<double>(DicomTags.SliceThickness, out var t) && t > 0 && double.IsFinite(t) ? t : null;
        return (new AxialCtSlice(position[2], position[0], position[1], spacing[1], spacing[0], pixels.Rows, pixels.Columns, hu, uid), thickness);
    }

    private static double[] Numbers(DicomDataset ds, DicomTag tag, string keyword, int count, string uid)
    {
        double[] values;
        try
        {
            values = ds.GetValues<double>(tag);
        }
        catch (DicomDataException e)
        {
            throw new FormatException($"Instance {uid}: {keyword} {tag} is unreadable: {e.Message}", e);
        }
        if (values.Length < count || values.Take(count).Any(v => !double.IsFinite(v)))
            throw new FormatException($"Instance {uid}: {keyword} {tag} needs {count} finite values, has '{ds.GetString(tag)}'.");
        return values;
    }
}
