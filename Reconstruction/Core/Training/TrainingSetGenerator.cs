using System.Runtime.InteropServices;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Workflows;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// Simulates training pairs for a cascade: each patient's anatomy is projected once; the noiseless line integrals
/// then give a dense reference scan (the projection-domain target) and one sparse noisy scan per I0 (the input).
/// Patients can be cached on disk, since simulation dominates the first minutes of a training run.
/// </summary>
public sealed class TrainingSetGenerator
{
    private const string CacheMagic = "FedNano training patient v2";
    private readonly TrainingDataOptions _options;
    private readonly DualDomainConfig _config;
    private readonly string? _cacheDirectory;

    /// <summary>Creates the generator.</summary>
    /// <param name="options">Which patients, slices and doses.</param>
    /// <param name="config">The network the inputs are built for (its geometry must be the options' preset).</param>
    /// <param name="cacheDirectory">Directory for cached patients, or null to simulate every time.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="NetworkCheckpointMismatchException">The network does not fit the preset.</exception>
    public TrainingSetGenerator(TrainingDataOptions options, DualDomainConfig config, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        options.Validate();
        config.Validate();
        var expected = DualDomainConfig.ForPreset(options.Geometry, options.ImageSize, options.FieldOfViewMm);
        var differences = DualDomainConfig.AcquisitionDifferences(expected.Geometry, expected.RowPattern, expected.Grid, config);
        if (differences.Count > 0)
        {
            throw new NetworkCheckpointMismatchException(
                $"The network does not fit the training data (preset '{options.Geometry}'): "
                + string.Join("; ", differences.Select(d => $"{d.Field}: data has {d.Expected}, network has {d.Actual}")) + ".");
        }
        _options = options;
        _config = config;
        _cacheDirectory = cacheDirectory;
    }

    /// <summary>Samples of every training patient, in seed order.</summary>
    public IReadOnlyList<TrainingSample> TrainingSet(IProgress<int>? patientsDone = null, CancellationToken cancellationToken = default) =>
        Patients(_options.TrainingSeeds, patientsDone, cancellationToken);

    /// <summary>Samples of the validation patients (watched during training).</summary>
    public IReadOnlyList<TrainingSample> ValidationSet(IProgress<int>? patientsDone = null, CancellationToken cancellationToken = default) =>
        Patients(_options.ValidationSeeds, patientsDone, cancellationToken);

    /// <summary>Samples of the test patients.</summary>
    public IReadOnlyList<TrainingSample> TestSet(IProgress<int>? patientsDone = null, CancellationToken cancellationToken = default) =>
        Patients(_options.TestSeeds, patientsDone, cancellationToken);

    /// <summary>Samples of one patient: <see cref="TrainingDataOptions.SlicesPerPatient"/> slices × each I0.</summary>
    public IReadOnlyList<TrainingSample> Patient(int seed, CancellationToken cancellationToken = default)
    {
        string? cachePath = _cacheDirectory is null ? null : Path.Combine(_cacheDirectory, $"{_options.Phantom}-{seed:D4}.bin");
        if (cachePath is not null && TryReadCache(cachePath, _options.CacheKey(seed)) is { } cached)
        {
            return cached;
        }
        var samples = Simulate(seed, cancellationToken);
        if (cachePath is not null)
        {
            WriteCache(cachePath, _options.CacheKey(seed), samples);
        }
        return samples;
    }

    private List<TrainingSample> Patients(IReadOnlyList<int> seeds, IProgress<int>? patientsDone, CancellationToken cancellationToken)
    {
        var all = new List<TrainingSample>();
        for (int i = 0; i < seeds.Count; i++)
        {
            all.AddRange(Patient(seeds[i], cancellationToken));
            patientsDone?.Report(i + 1);
        }
        return all;
    }

    private List<TrainingSample> Simulate(int seed, CancellationToken cancellationToken)
    {
        var request = new SimulationRequest
        {
            Phantom = _options.Phantom,
            Geometry = _options.Geometry,
            Seed = seed,
            ImageSize = _options.ImageSize,
            FieldOfViewMm = _options.FieldOfViewMm,
            // The anatomy is rendered (and projected) on the fine z grid of a clinical series; samples are every
            // stride-th slice of it. Rendering at the sample spacing would give the networks coarser z structure,
            // and so other helical-interpolation errors, than any scan they reconstruct later.
            Slices = (_options.SlicesPerPatient - 1) * _options.SampleStride + 1,
            SliceSpacingMm = _options.RenderSpacingMm,
            CenterZMm = _options.CenterZMm(seed),
            MuWaterPerMm = _config.MuWaterPerMm,
        };
        var prepared = CaseSimulator.Prepare(request);
        var plan = WithHelixPhase(prepared.Plan, _options.StartViewOffset(seed, prepared.Plan.Geometry.ViewsPerRotation));
        var lineIntegrals = new HelicalProjector(new ProjectorOptions(request.MuWaterPerMm))
            .Project(prepared.Object, plan, null, cancellationToken);
        var simulator = new ScanSimulator();
        var geometry = plan.Geometry;
        var dense = simulator.Acquire(plan, SparseRowPattern.Dense(geometry.Rows), lineIntegrals, request.MuWaterPerMm,
            null, prepared.Metadata, cancellationToken);
        var denseRebinner = new SingleSliceRebinner(dense, GapFilling.Linear);
        var truth = prepared.Truth.Hounsfield;
        int plane = truth.Grid.Nx * truth.Grid.Ny;
        int sinogramLength = _config.Geometry.ViewsPerRotation * _config.Geometry.Channels;

        int stride = _options.SampleStride;
        var targets = new float[_options.SlicesPerPatient][];
        var truthMu = new float[_options.SlicesPerPatient][];
        for (int z = 0; z < _options.SlicesPerPatient; z++)
        {
            var reference = denseRebinner.Rebin(truth.Grid.ZMm(z * stride));
            targets[z] = new float[sinogramLength];
            DualDomainInputBuilder.AlignViews(reference.Values, reference.Geometry.StartAngleRad, _config.Geometry, targets[z]);
            var hu = truth.Values.AsSpan(z * stride * plane, plane);
            truthMu[z] = new float[plane];
            for (int i = 0; i < plane; i++)
            {
                truthMu[z][i] = (float)(_config.MuWaterPerMm * (1 + hu[i] / 1000.0));
            }
        }

        var samples = new List<TrainingSample>();
        for (int k = 0; k < _options.IncidentPhotons.Count; k++)
        {
            double i0 = _options.IncidentPhotons[k];
            // Noise seed per patient and dose, so adding a dose leaves the others' noise unchanged.
            var noise = new NoiseOptions(i0, request.BowTieEdgeAttenuation, 0, seed * 1000L + k);
            var sparse = simulator.Acquire(plan, prepared.RowPattern, lineIntegrals, request.MuWaterPerMm, noise,
                prepared.Metadata, cancellationToken);
            var builder = new DualDomainInputBuilder(sparse, _config);
            for (int z = 0; z < _options.SlicesPerPatient; z++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double sliceZ = truth.Grid.ZMm(z * stride);
                samples.Add(new TrainingSample(seed, i0, sliceZ, builder.Build(sliceZ), targets[z], truthMu[z]));
            }
        }
        return samples;
    }

    /// <summary>
    /// The same views started <paramref name="offsetViews"/> views later in angle: the z range (and so the rendered
    /// anatomy) is unchanged, only where the helix meets each slice moves.
    /// </summary>
    private static HelicalScanPlan WithHelixPhase(HelicalScanPlan plan, int offsetViews)
    {
        if (offsetViews == 0)
        {
            return plan;
        }
        var g = plan.Geometry;
        double angle = g.StartAngleRad + offsetViews * 2 * Math.PI / g.ViewsPerRotation;
        angle -= Math.Floor(angle / (2 * Math.PI)) * 2 * Math.PI;
        return new HelicalScanPlan(HelicalScanPlan.WithStart(g, g.StartZMm, angle), plan.Views);
    }

    private static List<TrainingSample>? TryReadCache(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != CacheMagic || reader.ReadString() != key)
            {
                return null; // written by other settings: simulate again
            }
            int count = reader.ReadInt32();
            var samples = new List<TrainingSample>(count);
            for (int i = 0; i < count; i++)
            {
                int seed = reader.ReadInt32();
                double i0 = reader.ReadDouble();
                double z = reader.ReadDouble();
                samples.Add(new TrainingSample(seed, i0, z, ReadFloats(reader), ReadFloats(reader), ReadFloats(reader)));
            }
            return samples;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OverflowException)
        {
            return null; // a damaged cache file is just a miss
        }
    }

    private static void WriteCache(string path, string key, IReadOnlyList<TrainingSample> samples)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".part";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(CacheMagic);
            writer.Write(key);
            writer.Write(samples.Count);
            foreach (var s in samples)
            {
                writer.Write(s.Seed);
                writer.Write(s.IncidentPhotons);
                writer.Write(s.SliceZMm);
                WriteFloats(writer, s.Input);
                WriteFloats(writer, s.TargetSinogram);
                WriteFloats(writer, s.TruthMu);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length is < 0 or > 1 << 28)
        {
            throw new InvalidDataException($"Cached array length {length} is implausible.");
        }
        var values = new float[length];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length)
        {
            throw new InvalidDataException("Cached array is truncated.");
        }
        return values;
    }
}
