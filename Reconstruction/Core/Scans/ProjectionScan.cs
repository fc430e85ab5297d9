namespace FedNano.Reconstruction.Scans;

/// <summary>
/// A helical scan's projection data: line integrals (dimensionless, ∫μ dl) for every view, detector row and
/// channel, stored view-major, <c>LineIntegrals[(view·Rows + row)·Channels + channel]</c>, with the source
/// position of each view. Rows outside <see cref="RowPattern"/> were not measured and hold 0.
/// </summary>
/// <remarks>
/// Source position for a view with angle φ and z z₀: (x, y, z) = (−R·sin φ, R·cos φ, z₀) (the DICOM-CT-PD
/// convention). Channel γ &gt; 0 lies counter-clockwise (in x→y) from the central ray; row offsets &gt; 0
/// lie towards +z.
/// </remarks>
public sealed class ProjectionScan
{
    /// <summary>Creates a scan and checks array sizes.</summary>
    /// <exception cref="ArgumentException">An array length does not match the views and detector, or a value is not finite.</exception>
    public ProjectionScan(
        HelicalGeometry geometry,
        SparseRowPattern rowPattern,
        float[] lineIntegrals,
        double[] viewAngleRad,
        double[] viewZMm,
        double muWaterPerMm,
        ScanMetadata metadata,
        float[]? photonsPerChannel = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(rowPattern);
        ArgumentNullException.ThrowIfNull(lineIntegrals);
        ArgumentNullException.ThrowIfNull(viewAngleRad);
        ArgumentNullException.ThrowIfNull(viewZMm);
        ArgumentNullException.ThrowIfNull(metadata);
        if (rowPattern.DetectorRows != geometry.Rows)
        {
            throw new ArgumentException($"Row pattern is for {rowPattern.DetectorRows} rows, the detector has {geometry.Rows}.", nameof(rowPattern));
        }
        int views = viewAngleRad.Length;
        if (views < 1)
        {
            throw new ArgumentException("A scan needs at least one view.", nameof(viewAngleRad));
        }
        if (viewZMm.Length != views)
        {
            throw new ArgumentException($"{views} view angles but {viewZMm.Length} view z positions.", nameof(viewZMm));
        }
        long expected = (long)views * geometry.Rows * geometry.Channels;
        if (lineIntegrals.LongLength != expected)
        {
            throw new ArgumentException(
                $"{views} views x {geometry.Rows} rows x {geometry.Channels} channels need {expected} values, got {lineIntegrals.LongLength}.",
                nameof(lineIntegrals));
        }
        if (!(muWaterPerMm > 0) || !double.IsFinite(muWaterPerMm))
        {
            throw new ArgumentException($"Water attenuation {muWaterPerMm} /mm must be positive.", nameof(muWaterPerMm));
        }
        if (photonsPerChannel is not null && photonsPerChannel.Length != geometry.Channels)
        {
            throw new ArgumentException($"Photon statistics need one value per channel ({geometry.Channels}), got {photonsPerChannel.Length}.", nameof(photonsPerChannel));
        }
        Geometry = geometry;
        RowPattern = rowPattern;
        LineIntegrals = lineIntegrals;
        ViewAngleRad = viewAngleRad;
        ViewZMm = viewZMm;
        MuWaterPerMm = muWaterPerMm;
        Metadata = metadata;
        PhotonsPerChannel = photonsPerChannel;
    }

    /// <summary>Scanner geometry (pitch, table feed, detector).</summary>
    public HelicalGeometry Geometry { get; }

    /// <summary>Which detector rows were measured.</summary>
    public SparseRowPattern RowPattern { get; }

    /// <summary>Line integrals, view-major (view, row, channel).</summary>
    public float[] LineIntegrals { get; }

    /// <summary>Source angle φ of each view (rad, not wrapped).</summary>
    public double[] ViewAngleRad { get; }

    /// <summary>Source z of each view (mm).</summary>
    public double[] ViewZMm { get; }

    /// <summary>Number of views.</summary>
    public int Views => ViewAngleRad.Length;

    /// <summary>μ_water (1/mm) that HU values are relative to.</summary>
    public double MuWaterPerMm { get; }

    /// <summary>Identity and acquisition values.</summary>
    public ScanMetadata Metadata { get; }

    /// <summary>Incident photons per channel (I0) the noise was drawn with; null for noiseless data.</summary>
    public float[]? PhotonsPerChannel { get; }

    /// <summary>
    /// The view whose source z is nearest <paramref name="zMm"/> (the first on ties); for an axial scan (pitch 0),
    /// the middle of the first rotation.
    /// </summary>
    public int NearestView(double zMm)
    {
        if (Geometry.PitchFactor == 0)
        {
            return Math.Min(Geometry.ViewsPerRotation / 2, Views - 1);
        }
        int best = 0;
        double bestDistance = double.MaxValue;
        for (int v = 0; v < Views; v++)
        {
            double distance = Math.Abs(ViewZMm[v] - zMm);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = v;
            }
        }
        return best;
    }

    /// <summary>Line integrals of one view (a view, not a copy), row-major (row, channel).</summary>
    public Span<float> View(int view)
    {
        if ((uint)view >= (uint)Views)
        {
            throw new ArgumentOutOfRangeException(nameof(view), $"View {view} is outside 0..{Views - 1}.");
        }
        int n = Geometry.Rows * Geometry.Channels;
        return LineIntegrals.AsSpan(view * n, n);
    }
}
