using System.Diagnostics;
using System.Globalization;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Torch;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Workflows;

/// <summary>
/// Reconstructs a whole projection scan into a labelled HU volume with any of the methods: the shared path of the
/// CLI-free callers (the service's reconstruction jobs). Slices cover the range the method supports at the requested
/// spacing.
/// </summary>
public static class ScanReconstruction
{
    /// <summary>Runs <paramref name="request"/> on <paramref name="scan"/>.</summary>
    /// <param name="scan">The projection data.</param>
    /// <param name="request">Method and grid.</param>
    /// <param name="progress">Receives (slices done, slices in all).</param>
    /// <param name="cancellationToken">Cancels between slice batches.</param>
    /// <exception cref="ArgumentException">The request is invalid or the scan supports no slice.</exception>
    /// <exception cref="NetworkCheckpointMismatchException">The model does not fit the scan.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    public static ScanReconstructionResult Run(ProjectionScan scan, ScanReconstructionRequest request,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var inv = CultureInfo.InvariantCulture;
        var profile = new StageProfile();
        var clock = Stopwatch.StartNew();
        if (request.Method == "dual-domain")
        {
            var device = TorchRuntime.ResolveDevice(request.Device);
            string path = request.ModelPath ?? ShippedModels.PathFor();
            var checkpoint = NetworkCheckpoint.Read(path);
            using var cascade = checkpoint.CreateCascade(device);
            var reconstructor = new DualDomainReconstructor(cascade, device, request.BatchSize);
            var config = checkpoint.Config;
            var (min, max) = reconstructor.SliceRange(scan);
            var grid = Grid(min, max, request.SliceSpacingMm, config.ImageSize, config.PixelSpacingMm);
            profile.Add(StageProfile.Stages.SetUp, Lap(clock));
            var volume = reconstructor.Reconstruct(scan, grid, Report(progress, grid.Nz), cancellationToken, profile);
            double total = Lap(clock);
            string model = Path.GetFileNameWithoutExtension(path);
            return new ScanReconstructionResult(volume, new CtSeriesOptions(
                Truncate($"Recon dual-domain {scan.RowPattern} {model}", 64), 2, "DUAL-DOMAIN",
                ReconstructionMethod: $"Dual-domain cascade (projection CNN, fan-beam FBP {config.FbpWindow}, image CNN) on {device.type.ToString().ToLowerInvariant()}; model {Path.GetFileName(path)}; rows {scan.RowPattern}",
                SliceThicknessMm: request.SliceThicknessMm, LungWindow: true), Finish(profile, total));
        }
        var options = new AnalyticReconstructionOptions(AnalyticReconstructionOptions.ParseMethod(request.Method));
        var analytic = new HelicalReconstructor(scan, options);
        int size = request.MatrixSize ?? 256;
        double fov = request.FieldOfViewMm ?? 400;
        var (first, last) = analytic.SliceRange;
        var analyticGrid = Grid(first, last, request.SliceSpacingMm, size, fov / size);
        profile.Add(StageProfile.Stages.SetUp, Lap(clock));
        var result = analytic.Reconstruct(analyticGrid, Report(progress, analyticGrid.Nz), cancellationToken, profile);
        double seconds = Lap(clock);
        string text = options.Method switch
        {
            AnalyticMethod.SsrFbp => $"Single-slice rebinning + equiangular fan-beam FBP ({options.Filter}); rows {scan.RowPattern}, gaps filled {options.GapFilling}",
            AnalyticMethod.Li360 => $"360LI helical interpolation + full-scan fan-beam FBP ({options.Filter}); rows {scan.RowPattern}",
            _ => $"180LI helical interpolation + short-scan fan-beam FBP with Parker weights ({options.Filter}); rows {scan.RowPattern}",
        };
        return new ScanReconstructionResult(result, new CtSeriesOptions(
            Truncate(string.Create(inv, $"Recon {request.Method} {scan.RowPattern}"), 64), 2, options.Filter.ToString().ToUpperInvariant(),
            ReconstructionMethod: text, SliceThicknessMm: request.SliceThicknessMm, LungWindow: true), Finish(profile, seconds));
    }

    /// <summary>The profile's stages plus "other": the part of the slice loop no stage claimed (HU conversion, copies).</summary>
    private static Dictionary<string, double> Finish(StageProfile profile, double loopSeconds)
    {
        var stages = profile.Seconds.ToDictionary();
        double claimed = stages.Where(s => s.Key != StageProfile.Stages.SetUp).Sum(s => s.Value);
        stages["other"] = Math.Max(0, loopSeconds - claimed);
        return stages;
    }

    private static VolumeGrid Grid(double minZMm, double maxZMm, double spacingMm, int size, double pixelMm)
    {
        if (!(maxZMm >= minZMm))
        {
            throw new ArgumentException($"The scan supports no slice (range {minZMm:F2}..{maxZMm:F2} mm): too few views.");
        }
        int count = (int)Math.Floor((maxZMm - minZMm) / spacingMm + 1e-9) + 1;
        if (count > ScanReconstructionRequest.MaxSlices)
        {
            throw new ArgumentException($"{count} slices at {spacingMm} mm exceed the {ScanReconstructionRequest.MaxSlices} a reconstruction may produce; use a larger spacing.");
        }
        // Centre the stack in the supported range.
        double first = minZMm + (maxZMm - minZMm - (count - 1) * spacingMm) / 2;
        return new VolumeGrid(size, size, count, pixelMm, spacingMm, first);
    }

    private static IProgress<int>? Report(IProgress<(int, int)>? progress, int total) =>
        progress is null ? null : new Forward(progress, total);

    private sealed class Forward(IProgress<(int, int)> inner, int total) : IProgress<int>
    {
        public void Report(int value) => inner.Report((value, total));
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
