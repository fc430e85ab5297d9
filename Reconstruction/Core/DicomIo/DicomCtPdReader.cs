using System.Globalization;
using System.Runtime.ExceptionServices;
using FedNano.Dicom;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// Reads a DICOM-CT-PD projection series (one instance per view, as written by <see cref="DicomCtPdWriter"/> or as
/// in the public Mayo/TCIA data) into a <see cref="ProjectionScan"/>, checking it on the way.
/// </summary>
/// <remarks>
/// <para>Instances are sorted by InstanceNumber. The geometry comes from the private tags: R (7031,xx03),
/// D (7031,xx31), detector shape, channels and rows (7029,xx11/xx10), their spacings (7029,xx02/xx06), the
/// central element (7031,xx33, 1-based column, row) and the views per rotation (7033,xx13). The pitch is derived
/// from the z₀ progression (table feed per rotation = Δz per view × views per rotation; pitch = feed / collimation
/// at isocenter), snapped to SpiralPitchFactor when that agrees (<see cref="DicomCtPdReadOptions.PitchSnapRelativeTolerance"/>).
/// Start angle and z are the first view's. Per-view angles φ₀ (7031,xx01), which real data wrap at 2π, are unwrapped
/// into <see cref="ProjectionScan.ViewAngleRad"/>; z₀ (7031,xx02) goes to <see cref="ProjectionScan.ViewZMm"/>.</para>
/// <para>Both pixel layouts are read: Rows = channels and Columns = detector rows (the public files), or transposed,
/// decided by comparing Rows/Columns with (7029,xx11/xx10). The row pattern comes from the FedNano private block
/// (dense when absent); rows outside it are set to 0. μ_water: the FedNano block's exact value, else
/// WaterAttenuationCoefficient (7041,xx01), else <see cref="DicomCtPdReadOptions.DefaultMuWaterPerMm"/>.</para>
/// <para>Rejected with <see cref="ProjectionDataException"/>: no instances; a missing required tag (named); a
/// geometry value that differs between instances (named); duplicated views (same InstanceNumber, or same angle and
/// z); a gap in InstanceNumber; pixel size not matching the declared detector; z not increasing, or not by a
/// constant step; angles not advancing by 2π / views per rotation; anything but HELICAL FANBEAM log data without a
/// flying focal spot (AXIAL data at one table position is read as pitch 0).</para>
/// </remarks>
public sealed class DicomCtPdReader
{
    /// <summary>Creates a reader.</summary>
    public DicomCtPdReader(DicomCtPdReadOptions? options = null)
    {
        Options = options ?? DicomCtPdReadOptions.Default;
    }

    /// <summary>Tolerances and defaults.</summary>
    public DicomCtPdReadOptions Options { get; }

    /// <summary>
    /// True when <paramref name="dataset"/> looks like a DICOM-CT-PD projection view (it has the detector
    /// arrangement and detector dynamics private elements), as opposed to a reconstructed image.
    /// </summary>
    public static bool IsProjectionInstance(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Has(dataset, CtPdPrivateTag.NumberOfDetectorRows) && Has(dataset, CtPdPrivateTag.DetectorFocalCenterAngularPosition);

        static bool Has(DicomDataset ds, CtPdPrivateTag tag) => tag.Find(ds) is { } t && ds.Contains(t);
    }

    /// <summary>Reads every file in <paramref name="directory"/> (names starting with '.' are skipped) as one series.</summary>
    /// <param name="directory">The series directory.</param>
    /// <param name="progress">Receives the number of views decoded so far (1 … number of files), after all headers are checked.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ProjectionDataException">The files are not a readable projection series (see remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public ProjectionScan Read(string directory, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Projection series directory '{directory}' does not exist.");
        }
        var files = Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var instances = new List<CtPdInstance>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            DicomFile file;
            try
            {
                // Pixel data (≥ 64 KiB for real detectors) stay in the file until decoded.
                file = DicomFile.Open(files[i]);
            }
            catch (Exception e) when (e is DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException)
            {
                throw new ProjectionDataException($"not a readable DICOM file: {e.Message}", files[i], null, i, e);
            }
            instances.Add(CtPdInstance.Parse(file.Dataset, file.TransferSyntax, files[i], i));
        }
        return Assemble(instances, new ItemProgress(progress), ct);
    }

    /// <summary>Reads in-memory instances (e.g. retrieved over WADO-RS) as one series.</summary>
    /// <exception cref="ProjectionDataException">The instances are not a readable projection series (see remarks).</exception>
    public ProjectionScan Read(IEnumerable<DicomDataset> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var parsed = new List<CtPdInstance>();
        int index = 0;
        foreach (var ds in instances)
        {
            ArgumentNullException.ThrowIfNull(ds, nameof(instances));
            // A bare dataset carries no transfer syntax: encapsulated pixel data can only be the RLE this codec decodes.
            var syntax = ds.GetItem(DicomTags.PixelData) is DicomFragmentSequence
                ? DicomTransferSyntax.RLELossless
                : DicomTransferSyntax.ExplicitVRLittleEndian;
            parsed.Add(CtPdInstance.Parse(ds, syntax, null, index++));
        }
        return Assemble(parsed, new ItemProgress(null), CancellationToken.None);
    }

    private ProjectionScan Assemble(List<CtPdInstance> instances, ItemProgress progress, CancellationToken ct)
    {
        if (instances.Count == 0)
        {
            throw new ProjectionDataException("no instances: the series holds no projection views");
        }
        var first = instances[0];
        foreach (var other in instances.Skip(1))
        {
            CheckSameGeometry(first, other);
        }

        var views = instances.OrderBy(v => v.InstanceNumber).ThenBy(v => v.InputIndex).ToList();
        CheckInstanceNumbers(views);
        CheckDistinctPositions(views);
        var angles = UnwrapAndCheckAngles(views);
        var z = views.Select(v => (double)v.ZMm).ToArray();
        double pitch = PitchFromZ(views, z);

        var head = views[0];
        HelicalGeometry geometry;
        try
        {
            geometry = new HelicalGeometry(Decimal(head.SourceToIsocenterMm), Decimal(head.SourceToDetectorMm), head.Shape,
                head.Channels, Decimal(head.ChannelSpacingMm), head.DetectorRows, Decimal(head.RowSpacingMm),
                Decimal(head.CentralChannel), Decimal(head.CentralRow), head.ViewsPerRotation, pitch, angles[0], z[0]);
        }
        catch (ArgumentException e)
        {
            throw head.Reject($"the declared geometry is not usable: {e.Message}", e);
        }

        var pattern = ReadRowPattern(head);
        double muWater = ReadMuWater(head);
        var photons = ReadPhotons(head);
        var metadata = IdentityModules.Read(head.Dataset);

        int perView = geometry.Rows * geometry.Channels;
        if ((long)views.Count * perView > Array.MaxLength)
        {
            throw new ProjectionDataException(string.Create(CultureInfo.InvariantCulture,
                $"{views.Count} views of {geometry.Channels} x {geometry.Rows} values exceed one array ({Array.MaxLength} values); read the series in parts"));
        }
        var data = new float[(long)views.Count * perView];
        var inactive = Enumerable.Range(0, geometry.Rows).Where(r => !pattern.IsActive(r)).ToArray();
        try
        {
            Parallel.For(0, views.Count, new ParallelOptions { CancellationToken = ct }, i =>
            {
                var span = data.AsSpan(i * perView, perView);
                views[i].ReadLineIntegrals(span);
                // Rows outside the pattern were not measured: a ProjectionScan holds 0 there.
                foreach (int r in inactive)
                {
                    span.Slice(r * geometry.Channels, geometry.Channels).Clear();
                }
                progress.Advance();
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<ProjectionDataException>().FirstOrDefault() is { } reject)
        {
            ExceptionDispatchInfo.Capture(reject).Throw();
        }
        return new ProjectionScan(geometry, pattern, data, angles, z, muWater, metadata, photons);
    }

    private static void CheckSameGeometry(CtPdInstance first, CtPdInstance other)
    {
        for (int k = 0; k < first.SeriesInvariants.Count; k++)
        {
            var (name, expected) = first.SeriesInvariants[k];
            var actual = other.SeriesInvariants[k].Value;
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw other.Reject(string.Create(CultureInfo.InvariantCulture,
                    $"mixed geometry across instances: {name} is '{actual}' here but '{expected}' in InstanceNumber {first.InstanceNumber}"));
            }
        }
    }

    private static void CheckInstanceNumbers(List<CtPdInstance> views)
    {
        for (int i = 1; i < views.Count; i++)
        {
            int previous = views[i - 1].InstanceNumber, current = views[i].InstanceNumber;
            if (current == previous)
            {
                var where = views[i - 1].FilePath ?? string.Create(CultureInfo.InvariantCulture, $"input #{views[i - 1].InputIndex}");
                throw views[i].Reject(string.Create(CultureInfo.InvariantCulture,
                    $"duplicated view: InstanceNumber {current} occurs twice (also in {where})"));
            }
            if (current != previous + 1)
            {
                throw views[i].Reject(string.Create(CultureInfo.InvariantCulture,
                    $"gap in InstanceNumber: {previous} is followed by {current} ({current - previous - 1} view(s) missing)"));
            }
        }
    }

    private static void CheckDistinctPositions(List<CtPdInstance> views)
    {
        var seen = new Dictionary<(float, float), int>(views.Count);
        foreach (var v in views)
        {
            if (!seen.TryAdd((v.AngleRad, v.ZMm), v.InstanceNumber))
            {
                throw v.Reject(string.Create(CultureInfo.InvariantCulture,
                    $"duplicated view: angle {v.AngleRad} rad and z {v.ZMm} mm repeat InstanceNumber {seen[(v.AngleRad, v.ZMm)]}"));
            }
        }
    }

    private double[] UnwrapAndCheckAngles(List<CtPdInstance> views)
    {
        var angles = new double[views.Count];
        angles[0] = views[0].AngleRad;
        double expected = 2.0 * Math.PI / views[0].ViewsPerRotation;
        for (int i = 1; i < views.Count; i++)
        {
            double step = views[i].AngleRad - (double)views[i - 1].AngleRad;
            step -= 2.0 * Math.PI * Math.Round(step / (2.0 * Math.PI));
            angles[i] = angles[i - 1] + step;
            if (Math.Abs(step - expected) > Options.AngleStepToleranceRad)
            {
                throw views[i].Reject(string.Create(CultureInfo.InvariantCulture,
                    $"inconsistent angle progression: the source angle advances by {step:G6} rad from InstanceNumber {views[i - 1].InstanceNumber}, expected 2π/{views[0].ViewsPerRotation} = {expected:G6} rad (increasing)"));
            }
        }
        return angles;
    }

    private double PitchFromZ(List<CtPdInstance> views, double[] z)
    {
        var head = views[0];
        double collimation = head.DetectorRows * Decimal(head.RowSpacingMm) * Decimal(head.SourceToIsocenterMm) / Decimal(head.SourceToDetectorMm);
        double? declared = head.Dataset.TryGetValue<double>(DicomTags.SpiralPitchFactor, out var p) && double.IsFinite(p) ? p : null;
        if (head.IsAxial)
        {
            for (int i = 1; i < z.Length; i++)
            {
                if (Math.Abs(z[i] - z[0]) > Options.ZStepToleranceMm)
                {
                    throw views[i].Reject(string.Create(CultureInfo.InvariantCulture,
                        $"AXIAL data at several table positions (z {z[i]} mm here, {z[0]} mm in InstanceNumber {head.InstanceNumber}) cannot be read; only one axial rotation position is supported"));
                }
            }
            return 0.0;
        }
        if (z.Length < 2)
        {
            return declared ?? 0.0;
        }
        var steps = new double[z.Length - 1];
        for (int i = 1; i < z.Length; i++)
        {
            steps[i - 1] = z[i] - z[i - 1];
            if (!(steps[i - 1] > 0))
            {
                throw views[i].Reject(string.Create(CultureInfo.InvariantCulture,
                    $"inconsistent z progression: z is not monotonic increasing ({z[i - 1]} mm in InstanceNumber {views[i - 1].InstanceNumber}, then {z[i]} mm); HELICAL data must advance the table towards +z"));
            }
        }
        // The median step is immune to the one irregular step we want to point at.
        double typicalStep = steps.Order().ElementAt(steps.Length / 2);
        for (int i = 1; i < z.Length; i++)
        {
            if (Math.Abs(steps[i - 1] - typicalStep) > Options.ZStepToleranceMm)
            {
                throw views[i].Reject(string.Create(CultureInfo.InvariantCulture,
                    $"inconsistent z progression: the step from InstanceNumber {views[i - 1].InstanceNumber} is {steps[i - 1]:G6} mm, the typical (median) step {typicalStep:G6} mm (tolerance {Options.ZStepToleranceMm} mm)"));
            }
        }
        // Least-squares slope of z over the view index: the float32 rounding of single z values averages out.
        double n = z.Length, meanIndex = (n - 1) / 2.0, meanZ = z.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < z.Length; i++)
        {
            sxy += (i - meanIndex) * (z[i] - meanZ);
            sxx += (i - meanIndex) * (i - meanIndex);
        }
        double feedPerRotation = sxy / sxx * head.ViewsPerRotation;
        double derived = feedPerRotation / collimation;
        if (declared is { } d && d > 0 && Math.Abs(derived - d) <= Options.PitchSnapRelativeTolerance * d)
        {
            return d;
        }
        return derived;
    }

    private static SparseRowPattern ReadRowPattern(CtPdInstance head)
    {
        if (head.OptionalText(CtPdPrivateTag.SparseRowPattern) is not { } text)
        {
            return SparseRowPattern.Dense(head.DetectorRows);
        }
        try
        {
            return SparseRowPattern.Parse(text, head.DetectorRows);
        }
        catch (ArgumentException e)
        {
            throw head.Reject($"{CtPdPrivateTag.SparseRowPattern} '{text}' is not a row pattern of the {head.DetectorRows}-row detector: {e.Message}", e);
        }
    }

    private double ReadMuWater(CtPdInstance head)
    {
        var value = head.OptionalFloats(CtPdPrivateTag.SeriesMuWaterPerMm)?.FirstOrDefault()
            ?? head.OptionalFloats(CtPdPrivateTag.WaterAttenuationCoefficient)?.FirstOrDefault()
            ?? Options.DefaultMuWaterPerMm;
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw head.Reject(string.Create(CultureInfo.InvariantCulture, $"water attenuation coefficient {value} /mm is not positive"));
        }
        return value;
    }

    private static float[]? ReadPhotons(CtPdInstance head)
    {
        if (head.OptionalFloats(CtPdPrivateTag.PhotonStatistics) is not { } photons)
        {
            return null;
        }
        if (photons.Length != head.Channels)
        {
            throw head.Reject(string.Create(CultureInfo.InvariantCulture,
                $"{CtPdPrivateTag.PhotonStatistics} has {photons.Length} values; one per detector channel ({head.Channels}) is needed"));
        }
        return Array.ConvertAll(photons, v => (float)v);
    }

    /// <summary>The decimal a float32 header value was written from (1.2858f → 1.2858, not 1.28579998…).</summary>
    private static double Decimal(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
}
