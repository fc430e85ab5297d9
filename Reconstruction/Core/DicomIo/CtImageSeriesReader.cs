using System.Globalization;
using FedNano.Dicom;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// Reads an axial CT image series (as written by <see cref="CtImageSeriesWriter"/>) into a <see cref="CtVolume"/>
/// in HU, slices sorted by position along the slice normal.
/// </summary>
/// <remarks>
/// A <see cref="VolumeGrid"/> is axis-aligned, centred on the rotation axis in x and y, with square pixels and equal
/// slice spacing, so the series must be too: every slice the same size, PixelSpacing (equal in both directions) and
/// orientation 1\0\0\0\1\0; ImagePositionPatient x/y the same for every slice and within half a pixel of the centred
/// grid's first voxel; z distinct and equally spaced (within <see cref="PositionToleranceMm"/>); RescaleType, when
/// present, HU. A single-slice series takes its spacing from SliceThickness. Anything else is rejected with a
/// <see cref="CtImageSeriesException"/> that says what differs.
/// </remarks>
public sealed class CtImageSeriesReader
{
    private static readonly double[] AxialOrientation = [1, 0, 0, 0, 1, 0];

    /// <summary>How far positions and spacings may deviate (mm); DS values carry ≥ 11 significant digits.</summary>
    public double PositionToleranceMm { get; init; } = 0.01;

    /// <summary>How far each direction cosine may deviate from the axial orientation.</summary>
    public double OrientationTolerance { get; init; } = 1e-4;

    /// <summary>Reads every file in <paramref name="directory"/> (names starting with '.' are skipped) as one series.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="CtImageSeriesException">The files are not one consistent axial series (see remarks).</exception>
    public CtVolume Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"CT image series directory '{directory}' does not exist.");
        }
        var slices = new List<Slice>();
        foreach (var path in Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (Exception e) when (e is DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException)
            {
                throw new CtImageSeriesException($"not a readable DICOM file: {e.Message}", path, e);
            }
            slices.Add(Slice.Parse(file.Dataset, file.TransferSyntax, path));
        }
        return Assemble(slices);
    }

    /// <summary>Reads in-memory instances as one series.</summary>
    /// <exception cref="CtImageSeriesException">The instances are not one consistent axial series (see remarks).</exception>
    public CtVolume Read(IEnumerable<DicomDataset> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var slices = new List<Slice>();
        int index = 0;
        foreach (var ds in instances)
        {
            ArgumentNullException.ThrowIfNull(ds, nameof(instances));
            var syntax = ds.GetItem(DicomTags.PixelData) is DicomFragmentSequence ? DicomTransferSyntax.RLELossless : DicomTransferSyntax.ExplicitVRLittleEndian;
            slices.Add(Slice.Parse(ds, syntax, string.Create(CultureInfo.InvariantCulture, $"input #{index++}")));
        }
        return Assemble(slices);
    }

    private CtVolume Assemble(List<Slice> slices)
    {
        if (slices.Count == 0)
        {
            throw new CtImageSeriesException("no instances: the series holds no images");
        }
        var first = slices[0];
        for (int c = 0; c < 6; c++)
        {
            if (Math.Abs(first.Orientation[c] - AxialOrientation[c]) > OrientationTolerance)
            {
                throw new CtImageSeriesException(
                    $"ImageOrientationPatient is {Join(first.Orientation)}, not axial 1\\0\\0\\0\\1\\0: a CtVolume has no orientation of its own", first.Source);
            }
        }
        if (Math.Abs(first.SpacingRowMm - first.SpacingColumnMm) > 1e-6)
        {
            throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                $"PixelSpacing {first.SpacingRowMm}\\{first.SpacingColumnMm} mm is not square"), first.Source);
        }
        foreach (var s in slices.Skip(1))
        {
            if (s.Rows != first.Rows || s.Columns != first.Columns)
            {
                throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                    $"slice size {s.Columns} x {s.Rows} differs from {first.Columns} x {first.Rows} in {first.Source}"), s.Source);
            }
            if (Math.Abs(s.SpacingRowMm - first.SpacingRowMm) > 1e-6 || Math.Abs(s.SpacingColumnMm - first.SpacingColumnMm) > 1e-6)
            {
                throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                    $"PixelSpacing {s.SpacingRowMm}\\{s.SpacingColumnMm} mm differs from {first.SpacingRowMm}\\{first.SpacingColumnMm} mm in {first.Source}"), s.Source);
            }
            for (int c = 0; c < 6; c++)
            {
                if (Math.Abs(s.Orientation[c] - first.Orientation[c]) > OrientationTolerance)
                {
                    throw new CtImageSeriesException(
                        $"ImageOrientationPatient {Join(s.Orientation)} differs from {Join(first.Orientation)} in {first.Source}", s.Source);
                }
            }
            if (Math.Abs(s.Position[0] - first.Position[0]) > PositionToleranceMm || Math.Abs(s.Position[1] - first.Position[1]) > PositionToleranceMm)
            {
                throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                    $"slices are not stacked along the normal: ImagePositionPatient x/y ({s.Position[0]}, {s.Position[1]}) mm differ from ({first.Position[0]}, {first.Position[1]}) mm in {first.Source}"), s.Source);
            }
        }

        int nx = first.Columns, ny = first.Rows;
        double pixel = first.SpacingColumnMm;
        // Axial orientation: the normal row × column is +z, so the position along it is z.
        var sorted = slices.OrderBy(s => s.Position[2]).ToList();
        double spacing;
        if (sorted.Count == 1)
        {
            spacing = first.SliceThicknessMm
                ?? throw new CtImageSeriesException("a single-slice series needs SliceThickness (0018,0050) to define its slice spacing", first.Source);
        }
        else
        {
            spacing = (sorted[^1].Position[2] - sorted[0].Position[2]) / (sorted.Count - 1);
            for (int k = 1; k < sorted.Count; k++)
            {
                double step = sorted[k].Position[2] - sorted[k - 1].Position[2];
                if (step <= PositionToleranceMm)
                {
                    throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                        $"two slices at the same position z = {sorted[k].Position[2]} mm (also {sorted[k - 1].Source})"), sorted[k].Source);
                }
                if (Math.Abs(step - spacing) > PositionToleranceMm)
                {
                    throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                        $"unequal slice spacing: {step:G6} mm from {sorted[k - 1].Source}, the mean spacing is {spacing:G6} mm"), sorted[k].Source);
                }
            }
        }

        var grid = new VolumeGrid(nx, ny, sorted.Count, pixel, spacing, sorted[0].Position[2]);
        double dx = first.Position[0] - grid.XMm(0), dy = first.Position[1] - grid.YMm(0);
        if (Math.Abs(dx) > pixel / 2 || Math.Abs(dy) > pixel / 2)
        {
            throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                $"the image centre is off the rotation axis by ({dx:G6}, {dy:G6}) mm; a VolumeGrid is centred on it"), first.Source);
        }
        try
        {
            grid.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CtImageSeriesException($"the series does not fit a volume grid: {e.Message}", null, e);
        }

        var volume = CtVolume.Zeros(grid, VolumeUnit.Hounsfield);
        for (int k = 0; k < sorted.Count; k++)
        {
            sorted[k].ReadHounsfield(volume.Slice(k));
        }
        return volume;
    }

    private static string Join(double[] values) => string.Join('\\', values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));

    /// <summary>One image's header; pixel data decoded on demand.</summary>
    private sealed class Slice
    {
        public required DicomDataset Dataset { get; init; }
        public required DicomTransferSyntax Syntax { get; init; }
        public required string Source { get; init; }
        public int Rows { get; init; }
        public int Columns { get; init; }
        public double SpacingRowMm { get; init; }
        public double SpacingColumnMm { get; init; }
        public required double[] Orientation { get; init; }
        public required double[] Position { get; init; }
        public double? SliceThicknessMm { get; init; }
        public double Slope { get; init; }
        public double Intercept { get; init; }

        public static Slice Parse(DicomDataset ds, DicomTransferSyntax syntax, string source)
        {
            if (ds.GetString(DicomTags.RescaleType) is { Length: > 0 } type && !type.Trim().Equals("HU", StringComparison.OrdinalIgnoreCase))
            {
                throw new CtImageSeriesException($"RescaleType is '{type.Trim()}', not HU", source);
            }
            var spacing = Numbers(ds, DicomTags.PixelSpacing, "PixelSpacing", 2, source);
            double? thickness = ds.TryGetValue<double>(DicomTags.SliceThickness, out var t) && t > 0 ? t : null;
            return new Slice
            {
                Dataset = ds,
                Syntax = syntax,
                Source = source,
                Rows = (int)Numbers(ds, DicomTags.Rows, "Rows", 1, source)[0],
                Columns = (int)Numbers(ds, DicomTags.Columns, "Columns", 1, source)[0],
                SpacingRowMm = spacing[0],
                SpacingColumnMm = spacing[1],
                Orientation = Numbers(ds, DicomTags.ImageOrientationPatient, "ImageOrientationPatient", 6, source),
                Position = Numbers(ds, DicomTags.ImagePositionPatient, "ImagePositionPatient", 3, source),
                SliceThicknessMm = thickness,
                Slope = ds.TryGetValue<double>(DicomTags.RescaleSlope, out var m) && m != 0 && double.IsFinite(m) ? m : 1.0,
                Intercept = ds.TryGetValue<double>(DicomTags.RescaleIntercept, out var b) && double.IsFinite(b) ? b : 0.0,
            };
        }

        public void ReadHounsfield(Span<float> destination)
        {
            double[] stored;
            try
            {
                stored = DicomPixelData.Create(Dataset, Syntax).GetFrame<double>(0);
            }
            catch (Exception e) when (e is DicomDataException or IOException or InvalidOperationException)
            {
                throw new CtImageSeriesException($"pixel data cannot be decoded: {e.Message}", Source, e);
            }
            if (stored.Length != destination.Length)
            {
                throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                    $"pixel data hold {stored.Length} values, Rows x Columns is {destination.Length}"), Source);
            }
            for (int i = 0; i < stored.Length; i++)
            {
                destination[i] = (float)(stored[i] * Slope + Intercept);
            }
        }

        private static double[] Numbers(DicomDataset ds, DicomTag tag, string keyword, int count, string source)
        {
            double[] values;
            try
            {
                values = ds.GetValues<double>(tag);
            }
            catch (DicomDataException e)
            {
                throw new CtImageSeriesException($"{keyword} {tag} is unreadable: {e.Message}", source, e);
            }
            if (values.Length == 0)
            {
                throw new CtImageSeriesException($"missing required tag {keyword} {tag}", source);
            }
            if (values.Length < count || values.Any(v => !double.IsFinite(v)))
            {
                throw new CtImageSeriesException(string.Create(CultureInfo.InvariantCulture,
                    $"{keyword} {tag} needs {count} finite values, has '{ds.GetString(tag)}'"), source);
            }
            return values;
        }
    }
}
