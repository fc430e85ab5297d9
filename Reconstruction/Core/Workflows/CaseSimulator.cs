using System.Globalization;
using System.Text.Json;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Workflows;

/// <summary>
/// Simulates an examination end to end: renders the phantom on a grid that extends beyond the ground-truth slices
/// by the scan's margin (so the projections see anatomy above and below, as in a patient), scans it helically
/// with the Joseph projector and Poisson noise, and writes the DICOM-CT-PD series, the ground-truth CT series
/// and the findings.
/// </summary>
public static class CaseSimulator
{
    /// <summary>Sub-directory of the raw DICOM-CT-PD series.</summary>
    public const string RawDirectory = "raw";

    /// <summary>Sub-directory of the ground-truth CT image series.</summary>
    public const string TruthDirectory = "truth";

    /// <summary>File of the ground-truth findings (JSON).</summary>
    public const string FindingsFile = "findings.json";

    /// <summary>File recording the simulation settings (JSON).</summary>
    public const string RequestFile = "simulation.json";

    /// <summary>Simulates <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public static SimulatedCase Simulate(SimulationRequest request, StageProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(request, progress);
        var scan = new ScanSimulator().Simulate(prepared.Object, prepared.Plan, prepared.RowPattern, request.MuWaterPerMm,
            prepared.Noise, prepared.Metadata, progress?.Invoke("projection", prepared.Plan.Views), cancellationToken);
        return new SimulatedCase(request, prepared.Truth, scan);
    }

    /// <summary>
    /// Everything <see cref="Simulate"/> does before projecting: the scan plan covering the truth slices, the phantom
    /// rendered wherever a ray of the plan passes, the truth slab, the row pattern, the noise settings and the metadata.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public static PreparedCase Prepare(SimulationRequest request, StageProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var preset = GeometryPresets.Get(request.Geometry);
        var pattern = request.SparsePattern is null ? preset.RowPattern : SparseRowPattern.Parse(request.SparsePattern, preset.Geometry.Rows);
        var truthGrid = request.TruthGrid;
        var plan = HelicalScanPlan.Cover(preset.Geometry, truthGrid.ZMm(0), truthGrid.ZMm(truthGrid.Nz - 1));

        // Anatomy wherever a ray of the plan can pass, so no view sees the object cut off.
        int below = Math.Max(0, (int)Math.Ceiling((truthGrid.ZMm(0) - plan.ReachZStartMm) / truthGrid.SliceSpacingMm));
        int above = Math.Max(0, (int)Math.Ceiling((plan.ReachZEndMm - truthGrid.ZMm(truthGrid.Nz - 1)) / truthGrid.SliceSpacingMm));
        var objectGrid = truthGrid with { Nz = truthGrid.Nz + below + above, FirstSliceZMm = truthGrid.FirstSliceZMm - below * truthGrid.SliceSpacingMm };
        var generator = PhantomCatalog.Get(request.Phantom);
        var rendering = progress?.Invoke("phantom", 1);
        var phantom = generator.Generate(objectGrid, request.Seed);
        rendering?.Report(1);

        int plane = truthGrid.Nx * truthGrid.Ny;
        var truthValues = phantom.Hounsfield.Values.AsSpan(below * plane, truthGrid.Nz * plane).ToArray();
        var truth = new PhantomCase(new CtVolume(truthGrid, truthValues, VolumeUnit.Hounsfield), phantom.Findings);

        string id = string.Create(CultureInfo.InvariantCulture, $"{request.Phantom.ToUpperInvariant()}-{request.Seed:D4}");
        var metadata = new ScanMetadata(
            PatientName: $"PHANTOM^{request.Phantom.ToUpperInvariant()}^{request.Seed:D4}",
            PatientId: id,
            StudyDescription: $"Simulated helical CT ({request.Phantom} phantom)",
            SeriesDescription: $"Raw projections {preset.Name} {pattern}");
        var noise = request.IncidentPhotons is { } i0
            ? new NoiseOptions(i0, request.BowTieEdgeAttenuation, 0, request.Seed)
            : null;
        return new PreparedCase(request, plan, pattern, phantom.Hounsfield, truth, noise, metadata);
    }

    /// <summary>
    /// Writes <paramref name="simulated"/> into <paramref name="directory"/>: <c>raw/</c> (DICOM-CT-PD),
    /// <c>truth/</c> (CT image series in HU, same study and frame of reference), <c>findings.json</c> and
    /// <c>simulation.json</c>. Returns the scan as written (with the UIDs the writer generated).
    /// </summary>
    public static ProjectionScan Write(SimulatedCase simulated, string directory, StageProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        // One study and frame of reference for raw and truth.
        var metadata = ScanUids.Complete(simulated.Scan.Metadata);
        var scan = new ProjectionScan(simulated.Scan.Geometry, simulated.Scan.RowPattern, simulated.Scan.LineIntegrals,
            simulated.Scan.ViewAngleRad, simulated.Scan.ViewZMm, simulated.Scan.MuWaterPerMm, metadata, simulated.Scan.PhotonsPerChannel);
        new DicomCtPdWriter().Write(scan, Path.Combine(directory, RawDirectory), progress?.Invoke("write raw", scan.Views), cancellationToken);
        new CtImageSeriesWriter().Write(simulated.Truth.Hounsfield, metadata with { SeriesDescription = "Ground truth" },
            Path.Combine(directory, TruthDirectory),
            new CtSeriesOptions("Ground truth (phantom)", 100, "NONE", ReconstructionMethod: $"Phantom '{simulated.Request.Phantom}' seed {simulated.Request.Seed}, rendered directly"),
            progress?.Invoke("write truth", simulated.Truth.Hounsfield.Grid.Nz));
        File.WriteAllText(Path.Combine(directory, FindingsFile), simulated.Truth.Findings.ToJson());
        File.WriteAllText(Path.Combine(directory, RequestFile), JsonSerializer.Serialize(simulated.Request, RequestJson));
        return scan;
    }

    private static readonly JsonSerializerOptions RequestJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
