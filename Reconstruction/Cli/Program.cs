// recon: the command-line face of FedNano.Reconstruction. Parsing, progress and printing only; the work is in the library.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FedNano.Reconstruction;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Cli;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Training;
using TorchSharp;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;

var inv = CultureInfo.InvariantCulture;

// ---- simulate ----
var phantomOpt = new Option<string>("--phantom") { Description = $"Phantom: {string.Join(", ", PhantomCatalog.Names)}", DefaultValueFactory = _ => "chest" };
var geometryOpt = new Option<string>("--geometry") { Description = $"Scanner preset: {string.Join(", ", GeometryPresets.Names)}", DefaultValueFactory = _ => SimulationRequest.DefaultGeometry };
var sparseOpt = new Option<string?>("--sparse") { Description = "Active-row pattern GxR[gN][@F] overriding the preset's, e.g. 4x2g2 (4 groups of 2 rows, 2-row gaps)" };
var i0Opt = new Option<double?>("--i0") { Description = "Incident photons per ray at the central channel (Poisson noise); omit for noiseless data" };
var bowTieOpt = new Option<double>("--bowtie") { Description = "Bow-tie attenuation at the fan edge (line integral, 0 = none)", DefaultValueFactory = _ => 0 };
var seedOpt = new Option<int>("--seed") { Description = "Seed of the phantom anatomy and the noise", DefaultValueFactory = _ => 1 };
var sizeOpt = new Option<int>("--size") { Description = "Image size in pixels per side", DefaultValueFactory = _ => 256 };
var fovOpt = new Option<double>("--fov") { Description = "Image field of view (mm)", DefaultValueFactory = _ => 400 };
var slicesCountOpt = new Option<int>("--slices") { Description = "Number of ground-truth slices", DefaultValueFactory = _ => 16 };
var spacingOpt = new Option<double>("--slice-spacing") { Description = "Slice spacing (mm)", DefaultValueFactory = _ => 1.5 };
var centerZOpt = new Option<double>("--center-z") { Description = "z of the centre of the slice stack (mm)", DefaultValueFactory = _ => 0 };
var outOpt = new Option<DirectoryInfo>("--out") { Description = "Output directory", Required = true };

var simulate = new Command("simulate", "Simulate a helical scan of a phantom: writes raw/ (DICOM-CT-PD), truth/ (CT series, HU), findings.json")
{
    phantomOpt, geometryOpt, sparseOpt, i0Opt, bowTieOpt, seedOpt, sizeOpt, fovOpt, slicesCountOpt, spacingOpt, centerZOpt, outOpt,
};
simulate.SetAction(r => Run(() =>
{
    var request = new SimulationRequest
    {
        Phantom = r.GetValue(phantomOpt)!,
        Geometry = r.GetValue(geometryOpt)!,
        SparsePattern = r.GetValue(sparseOpt),
        IncidentPhotons = r.GetValue(i0Opt),
        BowTieEdgeAttenuation = r.GetValue(bowTieOpt),
        Seed = r.GetValue(seedOpt),
        ImageSize = r.GetValue(sizeOpt),
        FieldOfViewMm = r.GetValue(fovOpt),
        Slices = r.GetValue(slicesCountOpt),
        SliceSpacingMm = r.GetValue(spacingOpt),
        CenterZMm = r.GetValue(centerZOpt),
    };
    string output = r.GetValue(outOpt)!.FullName;
    var clock = Stopwatch.StartNew();
    var bars = new ProgressBars();
    var simulated = CaseSimulator.Simulate(request, bars.Stage);
    var scan = CaseSimulator.Write(simulated, output, bars.Stage);
    bars.Dispose();
    Console.WriteLine(string.Create(inv,
        $"simulated {request.Phantom} (seed {request.Seed}) on {request.Geometry} rows {scan.RowPattern}, {scan.Views} views x {scan.Geometry.Rows} rows x {scan.Geometry.Channels} channels, I0 {(request.IncidentPhotons is { } i ? i.ToString("G", inv) : "noiseless")}"));
    Console.WriteLine(string.Create(inv, $"wrote {Path.Combine(output, CaseSimulator.RawDirectory)}, {Path.Combine(output, CaseSimulator.TruthDirectory)} ({request.Slices} slices, z {request.TruthGrid.ZMm(0):F2}..{request.TruthGrid.ZMm(request.Slices - 1):F2} mm), {CaseSimulator.FindingsFile} in {clock.Elapsed.TotalSeconds:F1} s"));
    return 0;
}));

// ---- reconstruct ----
var inOpt = new Option<DirectoryInfo>("--in") { Description = "DICOM-CT-PD series directory, or a case directory from 'recon simulate' (its raw/)", Required = true };
var methodOpt = new Option<string>("--method") { Description = "ssr-fbp, 360li, 180li or dual-domain (the trained cascade)", DefaultValueFactory = _ => "ssr-fbp" };
var modelOpt = new Option<FileInfo?>("--model") { Description = "dual-domain: network checkpoint (default: the shipped weights for the scan's geometry)" };
var reconDeviceOpt = new Option<string>("--device") { Description = "dual-domain: auto (CUDA when available), cpu or cuda", DefaultValueFactory = _ => "auto" };
var batchOpt = new Option<int>("--batch") { Description = "dual-domain: slices per forward pass", DefaultValueFactory = _ => 4 };
var sliceRangeOpt = new Option<string?>("--slices") { Description = "Slice positions FIRST:LAST:STEP in mm (default: the truth/ grid of a case directory, else the whole scanned range at 1.5 mm)" };
var matchOpt = new Option<DirectoryInfo?>("--match") { Description = "Reconstruct on the grid (slices, size, pixel spacing) of this CT series" };
var reconSizeOpt = new Option<int>("--size") { Description = "Image size in pixels per side", DefaultValueFactory = _ => 256 };
var reconFovOpt = new Option<double>("--fov") { Description = "Field of view (mm)", DefaultValueFactory = _ => 400 };
var filterOpt = new Option<string>("--filter") { Description = "Ramp window: ram-lak, shepp-logan, hann", DefaultValueFactory = _ => "shepp-logan" };
var gapOpt = new Option<string>("--gap-filling") { Description = "ssr-fbp gap rows: linear (z interpolation) or complementary (conjugate rays first)", DefaultValueFactory = _ => "linear" };
var reconstruct = new Command("reconstruct", "Reconstruct a DICOM-CT-PD series into a CT image series (HU)")
{
    inOpt, methodOpt, modelOpt, reconDeviceOpt, batchOpt, sliceRangeOpt, matchOpt, reconSizeOpt, reconFovOpt, filterOpt, gapOpt, outOpt,
};
reconstruct.SetAction(r => Run(() =>
{
    string input = r.GetValue(inOpt)!.FullName;
    string? caseTruth = null;
    if (Directory.Exists(Path.Combine(input, CaseSimulator.RawDirectory)))
    {
        caseTruth = Path.Combine(input, CaseSimulator.TruthDirectory);
        input = Path.Combine(input, CaseSimulator.RawDirectory);
    }
    if (r.GetValue(methodOpt)!.Trim().Equals("dual-domain", StringComparison.OrdinalIgnoreCase))
    {
        return ReconstructDualDomain(input, caseTruth, r.GetValue(modelOpt)?.FullName, r.GetValue(reconDeviceOpt)!, r.GetValue(batchOpt),
            r.GetValue(sliceRangeOpt), r.GetValue(matchOpt)?.FullName, r.GetValue(outOpt)!.FullName);
    }
    var options = new AnalyticReconstructionOptions(
        AnalyticReconstructionOptions.ParseMethod(r.GetValue(methodOpt)!),
        ParseFilter(r.GetValue(filterOpt)!),
        1.0,
        ParseGapFilling(r.GetValue(gapOpt)!));
    var bars = new ProgressBars();
    var reader = new DicomCtPdReader();
    int files = Directory.Exists(input) ? Directory.GetFiles(input).Length : 0;
    var scan = reader.Read(input, bars.Stage("read raw", files));
    var reconstructor = new HelicalReconstructor(scan, options);
    VolumeGrid grid = ChooseGrid(r.GetValue(sliceRangeOpt), r.GetValue(matchOpt)?.FullName, caseTruth, reconstructor,
        r.GetValue(reconSizeOpt), r.GetValue(reconFovOpt));
    var clock = Stopwatch.StartNew();
    var volume = reconstructor.Reconstruct(grid, bars.Stage("reconstruct", grid.Nz));
    double perSlice = clock.Elapsed.TotalSeconds / grid.Nz;
    string method = AnalyticReconstructionOptions.MethodName(options.Method);
    new CtImageSeriesWriter().Write(volume, scan.Metadata with { SeriesInstanceUid = null }, r.GetValue(outOpt)!.FullName,
        new CtSeriesOptions($"Recon {method} {scan.RowPattern}", 2, KernelName(options.Filter),
            ReconstructionMethod: Describe(options, scan)), bars.Stage("write", grid.Nz));
    bars.Dispose();
    Console.WriteLine(string.Create(inv,
        $"reconstructed {grid.Nz} slices {grid.Nx}x{grid.Ny} ({grid.PixelSpacingMm:F3} mm, z {grid.ZMm(0):F2}..{grid.ZMm(grid.Nz - 1):F2} mm) with {method}: {perSlice * 1000:F0} ms per slice"));
    Console.WriteLine($"wrote {r.GetValue(outOpt)!.FullName}");
    return 0;
}));

// ---- evaluate ----
var referenceOpt = new Option<DirectoryInfo>("--reference") { Description = "Ground-truth CT series (or a case directory: its truth/)", Required = true };
var testOpt = new Option<DirectoryInfo>("--test") { Description = "Reconstructed CT series", Required = true };
var pngOpt = new Option<string?>("--png") { Description = "Write comparison PNGs (reference | reconstruction | difference): a .png file for the middle slice, or a directory for every slice" };
var unitOpt = new Option<string>("--unit") { Description = "Metric unit: mu (attenuation, default), hu+1000, hu", DefaultValueFactory = _ => "mu" };
var maskOpt = new Option<string>("--mask") { Description = "Region: body (reference above -900 HU, default), circle (inscribed FOV), none", DefaultValueFactory = _ => "body" };
var evaluate = new Command("evaluate", "Compare a reconstruction with the ground truth: RRMSE, SSIM, PSNR")
{
    referenceOpt, testOpt, pngOpt, unitOpt, maskOpt,
};
evaluate.SetAction(r => Run(() =>
{
    string referencePath = r.GetValue(referenceOpt)!.FullName;
    if (Directory.Exists(Path.Combine(referencePath, CaseSimulator.TruthDirectory)))
    {
        referencePath = Path.Combine(referencePath, CaseSimulator.TruthDirectory);
    }
    var seriesReader = new CtImageSeriesReader();
    var reference = seriesReader.Read(referencePath);
    var test = seriesReader.Read(r.GetValue(testOpt)!.FullName);
    var options = new MetricOptions { Unit = ParseUnit(r.GetValue(unitOpt)!), Mask = ParseMask(r.GetValue(maskOpt)!) };
    var report = ImageMetrics.Evaluate(reference, test, options);
    Console.WriteLine(string.Create(inv, $"RRMSE {report.RrmsePercent:F3} %  SSIM {report.Ssim:F5}  PSNR {report.PsnrDb:F2} dB"));
    Console.WriteLine(string.Create(inv, $"unit {report.Unit}, data range {report.DataRange:G4}, mask {report.Mask}, {report.VoxelCount} voxels"));
    if (r.GetValue(pngOpt) is { } png)
    {
        var pngOptions = new ComparisonPngOptions { Title = string.Create(inv, $"RRMSE {report.RrmsePercent:F2} %  SSIM {report.Ssim:F4}  PSNR {report.PsnrDb:F1} dB") };
        if (png.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(png))!);
            ComparisonPng.Write(png, reference, test, reference.Grid.Nz / 2, pngOptions);
            Console.WriteLine($"wrote {png}");
        }
        else
        {
            Directory.CreateDirectory(png);
            for (int k = 0; k < reference.Grid.Nz; k++)
            {
                ComparisonPng.Write(Path.Combine(png, string.Create(inv, $"slice_{k + 1:D4}.png")), reference, test, k, pngOptions);
            }
            Console.WriteLine($"wrote {reference.Grid.Nz} PNGs to {png}");
        }
    }
    return 0;
}));

// ---- train ----
var trainOutOpt = new Option<DirectoryInfo>("--out") { Description = "Run directory: model.ckpt, recipe.json, stage checkpoints, training-log.csv, PNGs (an existing run there resumes)", Required = true };
var recipeOpt = new Option<FileInfo?>("--recipe") { Description = "Training recipe JSON (default: the recipe of the shipped small-sparse weights; see recipe.json of a run)" };
var deviceOpt = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda", DefaultValueFactory = _ => "auto" };
var cacheOpt = new Option<DirectoryInfo?>("--cache") { Description = "Cache of simulated training patients (default: OUT/cache)" };
var stepsOpt = new Option<int?>("--steps") { Description = "Steps of every stage, overriding the recipe (e.g. a quick trial run)" };
var patientsOpt = new Option<int?>("--patients") { Description = "Train on the first N training patients only (a quick trial run)" };
var train = new Command("train", "Train the dual-domain cascade (projection CNN, then image CNN, then end to end) on simulated sparse helical scans")
{
    trainOutOpt, recipeOpt, deviceOpt, cacheOpt, stepsOpt, patientsOpt,
};
train.SetAction(r => Run(() =>
{
    var recipe = r.GetValue(recipeOpt) is { } file ? DualDomainRecipe.FromJson(File.ReadAllText(file.FullName)) : new DualDomainRecipe();
    if (r.GetValue(stepsOpt) is { } steps)
    {
        recipe = recipe with
        {
            Training = recipe.Training with
            {
                ProjectionPretrain = recipe.Training.ProjectionPretrain with { Steps = steps },
                ImagePretrain = recipe.Training.ImagePretrain with { Steps = steps },
                EndToEnd = recipe.Training.EndToEnd with { Steps = steps },
                CheckpointEverySteps = Math.Min(recipe.Training.CheckpointEverySteps, Math.Max(1, steps)),
            },
        };
    }
    if (r.GetValue(patientsOpt) is { } patients)
    {
        recipe = recipe with { Data = recipe.Data with { TrainingSeeds = recipe.Data.TrainingSeeds.Take(Math.Max(1, patients)).ToArray() } };
    }
    string output = r.GetValue(trainOutOpt)!.FullName;
    string cache = r.GetValue(cacheOpt)?.FullName ?? Path.Combine(output, "cache");
    var device = FedNano.Reconstruction.Torch.TorchRuntime.ResolveDevice(r.GetValue(deviceOpt));
    Console.Error.WriteLine($"training on {device.type.ToString().ToLowerInvariant()}, {torch.get_num_threads()} threads; run directory {output}");
    var clock = Stopwatch.StartNew();
    var dataBar = new ConsoleProgressBar("simulate patients", recipe.Data.TrainingSeeds.Count + recipe.Data.ValidationSeeds.Count);
    ConsoleProgressBar? stageBar = null;
    TrainingStage? current = null;
    bool dataDone = false;
    var stepProgress = new SynchronousProgress<TrainingProgress>(p =>
    {
        if (!dataDone)
        {
            dataBar.Dispose();
            dataDone = true;
        }
        if (current != p.Stage)
        {
            stageBar?.Dispose();
            stageBar = new ConsoleProgressBar(p.Stage.ToString(), p.Steps);
            current = p.Stage;
        }
        stageBar!.Report(p.Step, string.Create(inv, $"loss {p.Loss:G4} lr {p.LearningRate:G3}"));
    });
    var result = DualDomainTrainingRun.Run(recipe, output, cache, device, new SynchronousProgress<int>(dataBar.Report), stepProgress);
    if (!dataDone)
    {
        dataBar.Dispose();
    }
    stageBar?.Dispose();
    Console.WriteLine(string.Create(inv,
        $"trained {result.TrainableParameters} parameters on {result.TrainingSamples} slices in {clock.Elapsed.TotalMinutes:F1} min (data {result.DataSeconds:F0} s; stages {string.Join(", ", result.StageSeconds.Select(kv => $"{kv.Key} {kv.Value:F0} s"))})"));
    Console.WriteLine("validation RRMSE (μ, body): " + string.Join(", ", result.ValidationRrmsePercent.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:F2} %"))));
    Console.WriteLine($"wrote {result.ModelPath}");
    return 0;
}));

var root = new RootCommand("recon — simulate helical CT scans, reconstruct DICOM-CT-PD series, evaluate reconstructions (FedNano)")
{
    simulate, reconstruct, evaluate, train,
};
return root.Parse(args).Invoke();

static int ReconstructDualDomain(string input, string? caseTruth, string? modelPath, string deviceName, int batch, string? slices,
    string? match, string output)
{
    var inv = CultureInfo.InvariantCulture;
    var device = FedNano.Reconstruction.Torch.TorchRuntime.ResolveDevice(deviceName);
    var bars = new ProgressBars();
    int files = Directory.Exists(input) ? Directory.GetFiles(input).Length : 0;
    var scan = new DicomCtPdReader().Read(input, bars.Stage("read raw", files));
    string path = modelPath ?? ShippedModels.PathFor(); // only small-sparse ships; other scans are rejected by the geometry check
    var checkpoint = NetworkCheckpoint.Read(path);
    using var cascade = checkpoint.CreateCascade(device);
    var reconstructor = new DualDomainReconstructor(cascade, device, batch);
    VolumeGrid grid;
    var config = checkpoint.Config;
    string? gridSource = match ?? (slices is null && caseTruth is not null && Directory.Exists(caseTruth) ? caseTruth : null);
    if (slices is not null && match is not null)
    {
        throw new ArgumentException("Give either --slices or --match, not both.");
    }
    if (gridSource is not null)
    {
        grid = new CtImageSeriesReader().Read(gridSource).Grid;
    }
    else
    {
        var (first, last, step) = slices is null ? (reconstructor.SliceRange(scan).MinZMm, reconstructor.SliceRange(scan).MaxZMm, 1.5) : ParseSlices(slices);
        int count = (int)Math.Floor((last - first) / step + 1e-9) + 1;
        if (count > 4096)
        {
            throw new ArgumentException($"--slices asks for {count} slices; at most 4096.");
        }
        grid = new VolumeGrid(config.ImageSize, config.ImageSize, count, config.PixelSpacingMm, step, first);
    }
    var volume = reconstructor.Reconstruct(scan, grid, bars.Stage("reconstruct", grid.Nz));
    new CtImageSeriesWriter().Write(volume, scan.Metadata with { SeriesInstanceUid = null }, output,
        new CtSeriesOptions($"Recon dual-domain {scan.RowPattern}", 2, "DUAL-DOMAIN",
            ReconstructionMethod: $"Dual-domain cascade (projection CNN, fan-beam FBP {config.FbpWindow}, image CNN); model {Path.GetFileName(path)}; rows {scan.RowPattern}"),
        bars.Stage("write", grid.Nz));
    bars.Dispose();
    Console.WriteLine(string.Create(inv,
        $"reconstructed {grid.Nz} slices {grid.Nx}x{grid.Ny} ({grid.PixelSpacingMm:F3} mm, z {grid.ZMm(0):F2}..{grid.ZMm(grid.Nz - 1):F2} mm) with dual-domain on {device.type.ToString().ToLowerInvariant()} (model {path}, batch {batch}): {reconstructor.LastSecondsPerSlice * 1000:F0} ms per slice"));
    Console.WriteLine($"wrote {output}");
    return 0;
}

static (double First, double Last, double Step) ParseSlices(string slices)
{
    var parts = slices.Split(':');
    if (parts.Length != 3
        || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double first)
        || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double last)
        || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double step)
        || !(step > 0) || last < first)
    {
        throw new ArgumentException($"--slices expects FIRST:LAST:STEP in mm with STEP > 0 and LAST >= FIRST, got '{slices}'.");
    }
    return (first, last, step);
}

static VolumeGrid ChooseGrid(string? slices, string? match, string? caseTruth, HelicalReconstructor reconstructor, int size, double fovMm)
{
    if (slices is not null && match is not null)
    {
        throw new ArgumentException("Give either --slices or --match, not both.");
    }
    string? gridSource = match ?? (slices is null && caseTruth is not null && Directory.Exists(caseTruth) ? caseTruth : null);
    if (gridSource is not null)
    {
        var g = new CtImageSeriesReader().Read(gridSource).Grid;
        return g;
    }
    if (size is < 16 or > 2048 || !(fovMm > 0))
    {
        throw new ArgumentException($"--size must lie in 16..2048 and --fov must be positive (got {size}, {fovMm}).");
    }
    double first, last, step;
    if (slices is null)
    {
        (first, last) = reconstructor.SliceRange;
        step = 1.5;
    }
    else
    {
        var parts = slices.Split(':');
        if (parts.Length != 3
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out first)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out last)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out step)
            || !(step > 0) || last < first)
        {
            throw new ArgumentException($"--slices expects FIRST:LAST:STEP in mm with STEP > 0 and LAST >= FIRST, got '{slices}'.");
        }
    }
    int count = (int)Math.Floor((last - first) / step + 1e-9) + 1;
    if (count > 4096)
    {
        throw new ArgumentException($"--slices asks for {count} slices; at most 4096.");
    }
    return new VolumeGrid(size, size, count, fovMm / size, step, first);
}

static ReconstructionFilter ParseFilter(string name) => name.Trim().ToLowerInvariant() switch
{
    "ram-lak" or "ramlak" or "ramp" => ReconstructionFilter.RamLak,
    "shepp-logan" => ReconstructionFilter.SheppLogan,
    "hann" => ReconstructionFilter.Hann,
    _ => throw new ArgumentException($"Unknown filter '{name}'; use ram-lak, shepp-logan or hann."),
};

static GapFilling ParseGapFilling(string name) => name.Trim().ToLowerInvariant() switch
{
    "linear" => GapFilling.Linear,
    "complementary" => GapFilling.Complementary,
    _ => throw new ArgumentException($"Unknown gap filling '{name}'; use linear or complementary."),
};

static MetricUnit ParseUnit(string name) => name.Trim().ToLowerInvariant() switch
{
    "mu" or "attenuation" => MetricUnit.AttenuationPerMm,
    "hu+1000" => MetricUnit.HounsfieldPlus1000,
    "hu" => MetricUnit.Hounsfield,
    _ => throw new ArgumentException($"Unknown unit '{name}'; use mu, hu+1000 or hu."),
};

static MaskKind ParseMask(string name) => name.Trim().ToLowerInvariant() switch
{
    "body" => MaskKind.Body,
    "circle" => MaskKind.Circle,
    "none" => MaskKind.None,
    _ => throw new ArgumentException($"Unknown mask '{name}'; use body, circle or none."),
};

static string KernelName(ReconstructionFilter filter) => filter switch
{
    ReconstructionFilter.RamLak => "RAM-LAK",
    ReconstructionFilter.SheppLogan => "SHEPP-LOGAN",
    ReconstructionFilter.Hann => "HANN",
    _ => filter.ToString().ToUpperInvariant(),
};

static string Describe(AnalyticReconstructionOptions options, FedNano.Reconstruction.Scans.ProjectionScan scan) => options.Method switch
{
    AnalyticMethod.SsrFbp => $"Single-slice rebinning + equiangular fan-beam FBP ({options.Filter}); rows {scan.RowPattern}, gaps filled {options.GapFilling}",
    AnalyticMethod.Li360 => $"360LI helical interpolation + full-scan fan-beam FBP ({options.Filter}); rows {scan.RowPattern}",
    _ => $"180LI helical interpolation + short-scan fan-beam FBP with Parker weights ({options.Filter}); rows {scan.RowPattern}",
};

static int Run(Func<int> action)
{
    try
    {
        return action();
    }
    catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException
        or ProjectionDataException or NetworkCheckpointMismatchException or CtImageSeriesException or FedNano.Dicom.DicomFormatException or FedNano.Dicom.DicomDataException)
    {
        Console.Error.WriteLine($"recon: error: {ex.Message}");
        return 2;
    }
}
