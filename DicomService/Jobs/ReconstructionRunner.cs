using System.Diagnostics;
using System.Globalization;
using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Workflows;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Jobs;

/// <summary>
/// Runs one job attempt: reads the raw series from the store, checks it is complete projection data, reconstructs it,
/// and stores the CT image series through the same two-phase STOW path as any client (so it is indexed, in the
/// change feed and retrievable). A re-run first removes what an interrupted attempt stored, so the output series
/// appears exactly once; a failed or cancelled attempt removes its partial output.
/// </summary>
public sealed class ReconstructionRunner
{
    private readonly IRetrieveService _retrieve;
    private readonly IStoreService _store;
    private readonly IDeleteService _delete;
    private readonly StorageOptions _storage;
    private readonly ReconstructionOptions _options;

    /// <summary>Creates the runner.</summary>
    public ReconstructionRunner(IRetrieveService retrieve, IStoreService store, IDeleteService delete,
        IOptions<StorageOptions> storage, IOptions<ReconstructionOptions> options)
    {
        _retrieve = retrieve;
        _store = store;
        _delete = delete;
        _storage = storage.Value;
        _options = options.Value;
    }

    /// <summary>Thrown for input that cannot be reconstructed; its message becomes the job's failure reason.</summary>
    public sealed class JobInputException(string message, Exception? inner = null) : Exception(message, inner);

    /// <summary>Runs the job; returns the slices stored and the seconds per stage.</summary>
    /// <param name="job">The claimed job.</param>
    /// <param name="progress">Receives (percent, stage).</param>
    /// <param name="cancellationToken">Cancels between views, slice batches and store batches.</param>
    /// <exception cref="JobInputException">The series is not complete, consistent projection data, or the request does not fit it.</exception>
    public async Task<(int Slices, Dictionary<string, double> StageSeconds)> RunAsync(ReconstructionJob job,
        IProgress<(double Percent, string Stage)> progress, CancellationToken cancellationToken)
    {
        var stages = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        progress.Report((0, "reading raw series"));
        IReadOnlyList<StoredInstance> stored;
        try
        {
            stored = await _retrieve.FindAsync(job.StudyInstanceUid, job.SeriesInstanceUid, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            throw new JobInputException($"The raw series {job.SeriesInstanceUid} of study {job.StudyInstanceUid} is not stored (deleted?).");
        }
        var datasets = new List<DicomDataset>(stored.Count);
        for (int i = 0; i < stored.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var stream = _retrieve.OpenInstance(stored[i]);
            datasets.Add(DicomFile.Read(stream).Dataset);
            if (i % 64 == 0) progress.Report((10.0 * i / stored.Count, "reading raw series"));
        }
        CheckProjectionSeries(datasets);
        Reconstruction.Scans.ProjectionScan scan;
        try
        {
            scan = new DicomCtPdReader().Read(datasets);
        }
        catch (ProjectionDataException e)
        {
            throw new JobInputException($"The raw series is not usable projection data: {e.Message}", e);
        }
        stages["read raw series"] = Lap(clock);

        var request = new ScanReconstructionRequest(job.Method, ResolveModel(job.Model), job.SliceSpacingMm, job.SliceThicknessMm,
            job.FieldOfViewMm, job.MatrixSize, _options.Device, _options.BatchSize);
        ScanReconstructionResult result;
        try
        {
            result = ScanReconstruction.Run(scan, request,
                new Progress10To85(progress), cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or NetworkCheckpointMismatchException or FileNotFoundException)
        {
            throw new JobInputException($"The scan cannot be reconstructed as asked: {e.Message}", e);
        }
        foreach (var (name, seconds) in result.StageSeconds) stages[name] = seconds;
        Lap(clock);

        // Views sorted as the reader sorted them, so view i has z = scan.ViewZMm[i].
        var ordered = datasets.Select((ds, i) => (ds, i)).OrderBy(v => v.ds.TryGetValue<int>(DicomTags.InstanceNumber, out var n) ? n : 0).ThenBy(v => v.i).ToList();
        var views = ordered.Select((v, i) => new SourceView(v.ds.GetString(DicomTags.SOPClassUID) ?? DicomUids.CTImageStorage,
            v.ds.GetString(DicomTags.SOPInstanceUID) ?? "", scan.ViewZMm[i])).ToList();
        var options = result.SeriesOptions with
        {
            SeriesInstanceUid = job.OutputSeriesInstanceUid,
            SeriesNumber = NextSeriesNumber(datasets[0]),
            PatientStudySource = datasets[0],
            SourceViews = views,
            SourceWindowMm = scan.Geometry.TableFeedPerRotationMm,
        };
        var metadata = scan.Metadata with { StudyInstanceUid = job.StudyInstanceUid, SeriesInstanceUid = job.SeriesInstanceUid };
        var slices = new CtImageSeriesWriter().ToDatasets(result.Volume, metadata, options).ToList();
        stages["DICOM writing"] = Lap(clock);

        progress.Report((85, "storing CT series"));
        await RemoveOutputAsync(job, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await StoreAsync(slices, progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveOutputAsync(job, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        stages["store"] = Lap(clock);
        return (slices.Count, stages);
    }

    /// <summary>Deletes whatever of the job's output series is stored (none is fine).</summary>
    public async Task RemoveOutputAsync(ReconstructionJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _delete.DeleteAsync(job.StudyInstanceUid, job.OutputSeriesInstanceUid, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
        }
    }

    private async Task StoreAsync(List<DicomDataset> slices, IProgress<(double, string)> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_storage.StagingPath);
        int batch = Math.Max(1, _options.StoreBatchSize);
        for (int first = 0; first < slices.Count; first += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = new List<StagedPart>();
            try
            {
                foreach (var ds in slices.Skip(first).Take(batch))
                {
                    var path = Path.Combine(_storage.StagingPath, "recon-" + Guid.NewGuid().ToString("N") + ".dcm");
                    using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                    {
                        new DicomFile(ds).Save(fs, DicomTransferSyntax.ExplicitVRLittleEndian);
                    }
                    parts.Add(new StagedPart(path, DicomWebMediaTypes.ApplicationDicom));
                }
                var result = await _store.StoreAsync(parts, null, cancellationToken).ConfigureAwait(false);
                if (result.Instances.FirstOrDefault(r => r.FailureReason is not null) is { } failed)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Storing the CT series failed for instance {failed.SopInstanceUid}: 0x{failed.FailureReason:X4} {failed.Message}"));
                }
            }
            finally
            {
                foreach (var p in parts) File.Delete(p.FilePath);
            }
            progress.Report((85 + 15.0 * Math.Min(slices.Count, first + batch) / slices.Count, "storing CT series"));
        }
    }

    private static void CheckProjectionSeries(List<DicomDataset> datasets)
    {
        if (datasets.Count == 0) throw new JobInputException("The raw series holds no instances.");
        var notRaw = datasets.Count(ds => !DicomCtPdReader.IsProjectionInstance(ds));
        if (notRaw > 0)
        {
            throw new JobInputException(string.Create(CultureInfo.InvariantCulture,
                $"{notRaw} of {datasets.Count} instances of the series are not DICOM-CT-PD projection views (no detector arrangement and detector dynamics private elements); only raw projection series can be reconstructed."));
        }
        var expected = datasets.Select(ds => ds.TryGetValue<int>(DicomTags.ImagesInAcquisition, out var n) ? n : (int?)null).FirstOrDefault(n => n is not null);
        if (expected is { } count && count != datasets.Count)
        {
            var present = datasets.Select(ds => ds.TryGetValue<int>(DicomTags.InstanceNumber, out var n) ? n : 0).ToHashSet();
            var missing = Enumerable.Range(1, count).Where(n => !present.Contains(n)).ToList();
            throw new JobInputException(string.Create(CultureInfo.InvariantCulture,
                $"The raw series is incomplete: {datasets.Count} of {count} views (Images in Acquisition) are stored; missing instance numbers {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")}."));
        }
    }

    private string? ResolveModel(string? model)
    {
        if (model is null) return null;
        var directory = _options.ModelDirectory is { Length: > 0 } d ? Path.GetFullPath(d) : Path.Combine(AppContext.BaseDirectory, ShippedModels.Directory);
        return Path.Combine(directory, model);
    }

    private static int NextSeriesNumber(DicomDataset raw) =>
        raw.TryGetValue<int>(DicomTags.SeriesNumber, out var n) && n is >= 0 and < 99_999_000 ? n + 1 : 2;

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }

    private sealed class Progress10To85(IProgress<(double, string)> inner) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) =>
            inner.Report((10 + 75.0 * value.Done / Math.Max(1, value.Total), $"reconstructing slice {value.Done} of {value.Total}"));
    }
}
