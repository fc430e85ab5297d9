using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.Reconstruction.DicomIo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Jobs;

/// <summary>
/// Follows the change feed, recognises series of DICOM-CT-PD projection views (by their private detector elements,
/// looked at once per series) and, when <see cref="ReconstructionOptions.AutoReconstruct"/> is on, queues one job per
/// raw series once it is complete: when the views carry Images in Acquisition, all of them stored and no new view for
/// <see cref="ReconstructionOptions.CompleteSeriesQuietPeriodSeconds"/>; otherwise no new view for
/// <see cref="ReconstructionOptions.QuietPeriodSeconds"/>. Its place in the feed is persisted, so a restart neither
/// misses a series nor queues one twice.
/// </summary>
public sealed class RawSeriesWatcher : BackgroundService
{
    private const int FeedBatch = 1000;
    private readonly IChangeFeedService _feed;
    private readonly IRetrieveService _retrieve;
    private readonly ReconstructionJobStore _jobs;
    private readonly ReconstructionWorker _worker;
    private readonly ReconstructionOptions _options;
    private readonly ILogger<RawSeriesWatcher> _logger;

    /// <summary>Creates the watcher.</summary>
    public RawSeriesWatcher(IChangeFeedService feed, IRetrieveService retrieve, ReconstructionJobStore jobs, ReconstructionWorker worker,
        IOptions<ReconstructionOptions> options, ILogger<RawSeriesWatcher> logger)
    {
        _feed = feed;
        _retrieve = retrieve;
        _jobs = jobs;
        _worker = worker;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.AutoReconstruct) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                bool more = await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                if (!more) await Task.Delay(Math.Max(10, _options.PollIntervalMilliseconds), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Raw-series watcher failed; retrying");
                await Task.Delay(Math.Max(1000, _options.PollIntervalMilliseconds), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Processes one batch of the change feed and queues the series that became complete; true when more of the feed is waiting.</summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        long offset = _jobs.GetFeedOffset();
        var entries = await _feed.ReadAsync(offset, FeedBatch, cancellationToken).ConfigureAwait(false);
        if (entries.Count > 0)
        {
            var seen = new Dictionary<string, WatchedSeries>();
            foreach (var entry in entries)
            {
                if (entry.Action != ChangeFeedAction.Create || entry.SopClassUid != DicomUids.CTImageStorage) continue;
                var series = entry.Key.SeriesInstanceUid;
                var known = seen.GetValueOrDefault(series) ?? _jobs.GetWatched(series);
                if (known is null)
                {
                    known = await InspectAsync(entry.Key, cancellationToken).ConfigureAwait(false);
                    if (known is null) continue;
                }
                seen[series] = known with { LastInstanceAt = DateTimeOffset.UtcNow };
            }
            _jobs.SaveWatch(entries[^1].Sequence, seen.Values);
        }
        await QueueCompleteAsync(cancellationToken).ConfigureAwait(false);
        return entries.Count == FeedBatch;
    }

    private async Task<WatchedSeries?> InspectAsync(InstanceKey key, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredInstance> found;
        try
        {
            found = await _retrieve.FindAsync(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            return null; // deleted since
        }
        var metadata = await _retrieve.GetMetadataAsync(found[0], cancellationToken).ConfigureAwait(false);
        bool projection = DicomCtPdReader.IsProjectionInstance(metadata);
        int? expected = metadata.TryGetValue<int>(DicomTags.ImagesInAcquisition, out var n) && n > 0 ? n : null;
        if (projection) _logger.LogInformation("Raw projection series {Series} detected ({Expected} views announced)", key.SeriesInstanceUid, expected?.ToString() ?? "no count");
        return new WatchedSeries(key.SeriesInstanceUid, key.StudyInstanceUid, projection, expected, DateTimeOffset.UtcNow, !projection);
    }

    private async Task QueueCompleteAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var series in _jobs.Undecided())
        {
            var quiet = (now - series.LastInstanceAt).TotalSeconds;
            if (series.ExpectedViews is { } expected)
            {
                // The views announce their number: a full count is complete after a short settle; a short one waits for
                // stragglers until the incomplete-series timeout, then gets a job that fails naming the missing views.
                if (quiet < _options.CompleteSeriesQuietPeriodSeconds) continue;
                int count;
                try
                {
                    count = (await _retrieve.FindAsync(series.StudyInstanceUid, series.SeriesInstanceUid, null, cancellationToken).ConfigureAwait(false)).Count;
                }
                catch (ResourceNotFoundException)
                {
                    _jobs.MarkDecided(series.SeriesInstanceUid);
                    continue;
                }
                if (count < expected && quiet < _options.IncompleteSeriesTimeoutSeconds) continue;
            }
            else if (quiet < _options.QuietPeriodSeconds)
            {
                continue;
            }
            if (_jobs.List(null, series.SeriesInstanceUid, 1).Count > 0)
            {
                // A client (e.g. the PACS bridge, with its routing rule's method) asked for this series already.
                _jobs.MarkDecided(series.SeriesInstanceUid);
                _logger.LogInformation("Raw series {Series} already has a requested job; no automatic one", series.SeriesInstanceUid);
                continue;
            }
            var job = _jobs.Create(series.StudyInstanceUid, series.SeriesInstanceUid, _options.DefaultMethod, null, _options.DefaultSliceSpacingMm,
                null, null, null, "auto", DicomUid.Generate());
            _jobs.MarkDecided(series.SeriesInstanceUid);
            if (job is not null)
            {
                _logger.LogInformation("Queued reconstruction job {Id} for raw series {Series}", job.Id, series.SeriesInstanceUid);
                _worker.Notify();
            }
        }
    }
}
