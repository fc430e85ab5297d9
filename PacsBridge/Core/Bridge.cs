using System.Globalization;
using FedNano.Dicom;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedNano.PacsBridge;

/// <summary>
/// The PACS bridge: finds complete raw helical scans in the source PACS, routes them by rule, retrieves each series,
/// hands it to the FedNano service (STOW + job), follows the job, and stores the CT series at the destination. Every
/// step is recorded in <see cref="State"/> before the next begins, so a restarted bridge resumes where it stopped:
/// it never submits a series twice (it adopts the job it already asked for) and completes a partial push by sending
/// only the instances the destination lacks.
/// </summary>
public sealed class Bridge : IDisposable
{
    private readonly BridgeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DicomWebClient _source;
    private readonly DicomWebClient _serviceDicomWeb;
    private readonly ReconstructionServiceClient _jobs;
    private readonly Dictionary<string, DicomWebClient> _destinations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ISeriesDiscovery _discovery;

    /// <summary>Creates the bridge (validating <paramref name="options"/>) and opens its state database.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public Bridge(BridgeOptions options, ILogger<Bridge>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger<Bridge>.Instance;
        _time = time ?? TimeProvider.System;
        State = new BridgeStateStore(options.StateDatabase);
        _source = new DicomWebClient(options.Source);
        var service = options.Service;
        _serviceDicomWeb = new DicomWebClient(service.WithBaseUrl(service.BaseUrl.TrimEnd('/') + "/dicomweb"));
        _jobs = new ReconstructionServiceClient(service);
        _discovery = options.Discovery.Mode == DiscoveryMode.OrthancChanges
            ? new OrthancChangesDiscovery(options.Discovery, options.Source, State)
            : new QidoSeriesDiscovery(_source, State, options.Discovery, _time);
    }

    /// <summary>The persisted state (every series seen, its step, job, attempts and last error).</summary>
    public BridgeStateStore State { get; }

    /// <summary>
    /// Runs until cancelled: discovers every <see cref="DiscoveryOptions.PollIntervalSeconds"/> and keeps up to
    /// <see cref="BridgeOptions.MaxConcurrentSeries"/> due series in progress, starting the next one as soon as one
    /// finishes (not at the next pass), so transfers overlap reconstructions.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var inFlight = new Dictionary<string, Task>();
        var poll = TimeSpan.FromSeconds(_options.Discovery.PollIntervalSeconds);
        var nextDiscovery = _time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_time.GetUtcNow() >= nextDiscovery)
                {
                    await DiscoverAsync(cancellationToken).ConfigureAwait(false);
                    nextDiscovery = _time.GetUtcNow() + poll;
                }
                foreach (var finished in inFlight.Where(p => p.Value.IsCompleted).ToList())
                {
                    inFlight.Remove(finished.Key);
                    await finished.Value.ConfigureAwait(false); // ProcessAsync records its own failures; only cancellation comes out
                }
                foreach (var row in State.Due(_time.GetUtcNow(), BridgeSeriesState.Ready, BridgeSeriesState.Reconstructing, BridgeSeriesState.Pushing))
                {
                    if (inFlight.Count >= _options.MaxConcurrentSeries) break;
                    if (!inFlight.ContainsKey(row.SeriesInstanceUid)) inFlight[row.SeriesInstanceUid] = ProcessAsync(row, cancellationToken);
                }
                var untilDiscovery = nextDiscovery - _time.GetUtcNow();
                var wait = Task.Delay(untilDiscovery > TimeSpan.Zero ? untilDiscovery : TimeSpan.Zero, _time, cancellationToken);
                await Task.WhenAny(inFlight.Values.Append(wait)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped between or inside a step: the state on disk says where to resume.
        }
        finally
        {
            try
            {
                await Task.WhenAll(inFlight.Values).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One pass: <see cref="DiscoverAsync"/>, then <see cref="ProcessDueAsync"/>.</summary>
    /// <returns>The series that reached Done in this pass.</returns>
    public async Task<IReadOnlyList<string>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        return await ProcessDueAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds series in the source, records them, and routes those that are complete (Pending → Ready or Ignored). A source that cannot be reached is logged and tried again next pass.</summary>
    public async Task DiscoverAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var candidate in await _discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = State.Observe(candidate, _time.GetUtcNow());
                if (row.State == BridgeSeriesState.Pending) Route(candidate, row);
            }
        }
        catch (Exception e) when (IsTransient(e))
        {
            _logger.LogWarning("Discovery failed, will retry next pass: {Error}", e.Message);
        }
    }

    /// <summary>Takes every series whose next step is due (Ready, Reconstructing, Pushing) as far as it goes, up to <see cref="BridgeOptions.MaxConcurrentSeries"/> at a time.</summary>
    /// <returns>The series that reached Done.</returns>
    public async Task<IReadOnlyList<string>> ProcessDueAsync(CancellationToken cancellationToken = default)
    {
        var done = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var due = State.Due(_time.GetUtcNow(), BridgeSeriesState.Ready, BridgeSeriesState.Reconstructing, BridgeSeriesState.Pushing);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSeries, CancellationToken = cancellationToken },
            async (row, token) =>
            {
                if (await ProcessAsync(row, token).ConfigureAwait(false)) done.Enqueue(row.SeriesInstanceUid);
            }).ConfigureAwait(false);
        return [.. done];
    }

    /// <summary>Disposes the HTTP clients.</summary>
    public void Dispose()
    {
        _source.Dispose();
        _serviceDicomWeb.Dispose();
        _jobs.Dispose();
        foreach (var d in _destinations.Values) d.Dispose();
        (_discovery as IDisposable)?.Dispose();
    }

    private void Route(SeriesCandidate candidate, BridgeSeries row)
    {
        bool stable = candidate.Stable
            || (row.InstanceCount is > 0 && (_time.GetUtcNow() - row.CountChangedAt).TotalSeconds >= _options.Discovery.StableAgeSeconds);
        if (!stable) return;
        var rule = _options.EffectiveRules.FirstOrDefault(r => r.Matches(candidate));
        if (rule is null)
        {
            State.Advance(row.SeriesInstanceUid, BridgeSeriesState.Ignored);
            _logger.LogInformation("Series {Series} matches no rule; ignored", row.SeriesInstanceUid);
            return;
        }
        State.Advance(row.SeriesInstanceUid, BridgeSeriesState.Ready, rule: rule.Name);
        _logger.LogInformation("Series {Series} ({Count} instances) is complete; rule {Rule}", row.SeriesInstanceUid, row.InstanceCount, rule.Name);
    }

    /// <summary>Runs the series' next steps; true when it reached Done.</summary>
    private async Task<bool> ProcessAsync(BridgeSeries row, CancellationToken cancellationToken)
    {
        var rule = _options.EffectiveRules.FirstOrDefault(r => r.Name == row.Rule) ?? _options.EffectiveRules[0];
        try
        {
            if (row.State == BridgeSeriesState.Ready)
            {
                if (await SubmitAsync(row, rule, cancellationToken).ConfigureAwait(false) is not { } jobId) return false;
                row = State.Get(row.SeriesInstanceUid)!;
            }
            if (row.State == BridgeSeriesState.Reconstructing)
            {
                if (!await FollowJobAsync(row, cancellationToken).ConfigureAwait(false)) return false;
                row = State.Get(row.SeriesInstanceUid)!;
            }
            if (row.State == BridgeSeriesState.Pushing)
            {
                await PushAsync(row, rule, cancellationToken).ConfigureAwait(false);
                return true;
            }
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (IsTransient(e))
        {
            var current = State.Get(row.SeriesInstanceUid)!;
            if (current.Attempts + 1 >= _options.MaxAttempts)
            {
                State.DeadLetter(row.SeriesInstanceUid, $"Gave up after {current.Attempts + 1} attempts; last error: {e.Message}");
                _logger.LogError("Series {Series} dead-lettered after {Attempts} attempts: {Error}", row.SeriesInstanceUid, current.Attempts + 1, e.Message);
                return false;
            }
            double delay = Math.Min(_options.MaxBackoffSeconds, _options.InitialBackoffSeconds * Math.Pow(2, current.Attempts));
            State.Fail(row.SeriesInstanceUid, e.Message, _time.GetUtcNow().AddSeconds(delay));
            _logger.LogWarning("Series {Series} at {State}: attempt {Attempt} failed, retrying in {Delay:F0} s: {Error}",
                row.SeriesInstanceUid, current.State, current.Attempts + 1, delay, e.Message);
            return false;
        }
        catch (Exception e) when (e is DicomWebException or BridgeInputException or DicomFormatException or DicomDataException)
        {
            State.DeadLetter(row.SeriesInstanceUid, e.Message);
            _logger.LogError("Series {Series} dead-lettered: {Reason}", row.SeriesInstanceUid, e.Message);
            return false;
        }
        catch (Exception e)
        {
            // Unexpected: keep the bridge running, retry with backoff, and dead-letter after MaxAttempts like a transient error.
            _logger.LogError(e, "Series {Series}: unexpected error", row.SeriesInstanceUid);
            var current = State.Get(row.SeriesInstanceUid)!;
            if (current.Attempts + 1 >= _options.MaxAttempts) State.DeadLetter(row.SeriesInstanceUid, $"Gave up after {current.Attempts + 1} attempts; last error: {e.Message}");
            else State.Fail(row.SeriesInstanceUid, e.Message, _time.GetUtcNow().AddSeconds(Math.Min(_options.MaxBackoffSeconds, _options.InitialBackoffSeconds * Math.Pow(2, current.Attempts))));
            return false;
        }
    }

    /// <summary>Ready → Reconstructing: check, retrieve, STOW to the service, create (or adopt) the job.</summary>
    private async Task<string?> SubmitAsync(BridgeSeries row, RoutingRule rule, CancellationToken cancellationToken)
    {
        string study = row.StudyInstanceUid, series = row.SeriesInstanceUid;
        // A job this bridge asked for before a crash, for the same method, is adopted rather than asked for again.
        var existing = (await _jobs.ListForSeriesAsync(series, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(j => j.Trigger == "api" && j.Status is not ("failed" or "cancelled") && (rule.Method is null || j.Method == rule.Method));
        if (existing is not null)
        {
            State.Advance(series, BridgeSeriesState.Reconstructing, jobId: existing.Id);
            _logger.LogInformation("Series {Series}: adopted job {Job} already at the service", series, existing.Id);
            return existing.Id;
        }
        var instances = await _source.SearchInstancesAsync(study, series, [new("includefield", "00080016")], cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0) throw new BridgeInputException($"Series {series} has no instances in the source PACS any more.");
        if (rule.SopClassUid is { } sop && instances.Any(i => i.GetString(DicomTags.SOPClassUID) != sop))
        {
            State.Advance(series, BridgeSeriesState.Ignored);
            _logger.LogInformation("Series {Series}: SOP class is not {Sop}; ignored", series, sop);
            return null;
        }
        if (rule.RequireProjectionData)
        {
            var first = instances[0].GetString(DicomTags.SOPInstanceUID)!;
            var metadata = await _source.RetrieveInstanceMetadataAsync(study, series, first, cancellationToken).ConfigureAwait(false);
            if (!ProjectionDataCheck.IsProjectionData(metadata))
            {
                State.Advance(series, BridgeSeriesState.Ignored);
                _logger.LogInformation("Series {Series} is not DICOM-CT-PD projection data; ignored", series);
                return null;
            }
        }

        // Stream the views from the PACS to the service in batches, one STOW in flight while the next batch arrives;
        // a retry after a break resends what the service already has, which it accepts as unchanged.
        int n = 0;
        Task pending = Task.CompletedTask;
        var batch = new List<StowPart>(_options.StowBatchSize);
        await foreach (var part in _source.RetrieveAsync(study, series, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            n++;
            batch.Add(part);
            if (batch.Count < _options.StowBatchSize) continue;
            await pending.ConfigureAwait(false);
            pending = StoreBatchAsync(_serviceDicomWeb, batch, study, cancellationToken);
            batch = new List<StowPart>(_options.StowBatchSize);
        }
        await pending.ConfigureAwait(false);
        if (batch.Count > 0) await StoreBatchAsync(_serviceDicomWeb, batch, study, cancellationToken).ConfigureAwait(false);
        if (n != instances.Count)
            throw new DicomWebException($"Retrieved {n} instances of series {series}, QIDO listed {instances.Count}; retrying.");
        var job = await _jobs.CreateAsync(new ReconstructionRequest
        {
            StudyInstanceUid = study, SeriesInstanceUid = series, Method = rule.Method, Model = rule.Model, SliceSpacingMm = rule.SliceSpacingMm,
        }, cancellationToken).ConfigureAwait(false);
        State.Advance(series, BridgeSeriesState.Reconstructing, jobId: job.Id);
        _logger.LogInformation("Series {Series}: {Count} instances sent, job {Job} ({Method})", series, instances.Count, job.Id, job.Method);
        return job.Id;
    }

    /// <summary>Reconstructing → Pushing once the job succeeded; a failed job dead-letters the series with the service's reason.</summary>
    private async Task<bool> FollowJobAsync(BridgeSeries row, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(_options.JobTimeoutMinutes));
        ReconstructionJobInfo job;
        try
        {
            job = await _jobs.WaitAsync(row.JobId!, TimeSpan.FromSeconds(_options.JobPollIntervalSeconds), null, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Job {row.JobId} did not finish within {_options.JobTimeoutMinutes} min.");
        }
        if (job.Status != "succeeded")
            throw new BridgeInputException($"The service's reconstruction job {job.Id} {job.Status}: {job.Reason}");
        State.Advance(row.SeriesInstanceUid, BridgeSeriesState.Pushing, outputSeriesUid: job.OutputSeriesInstanceUid, pushed: 0);
        _logger.LogInformation("Series {Series}: job {Job} succeeded, {Slices} slices in series {Output}", row.SeriesInstanceUid, job.Id, job.Slices, job.OutputSeriesInstanceUid);
        return true;
    }

    /// <summary>Pushing → Done: only the output instances the destination does not hold yet are sent.</summary>
    private async Task PushAsync(BridgeSeries row, RoutingRule rule, CancellationToken cancellationToken)
    {
        string study = row.StudyInstanceUid, output = row.OutputSeriesInstanceUid!;
        var destination = Destination(rule.Destination);
        var present = (await destination.SearchInstancesAsync(study, output, [new("includefield", "00080018")], cancellationToken).ConfigureAwait(false))
            .Select(d => d.GetString(DicomTags.SOPInstanceUID)).ToHashSet(StringComparer.Ordinal);
        var batch = new List<StowPart>();
        int pushed = present.Count, total = 0;
        await foreach (var part in _serviceDicomWeb.RetrieveAsync(study, output, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            total++;
            var sop = DicomFile.Read(part, new DicomReadOptions { StopAtTag = DicomTags.PixelData }).Dataset.GetString(DicomTags.SOPInstanceUID);
            if (sop is not null && present.Contains(sop)) continue;
            batch.Add(part);
            if (batch.Count >= _options.StowBatchSize)
            {
                pushed += await StoreBatchAsync(destination, batch, study, cancellationToken).ConfigureAwait(false);
                State.RecordPushed(row.SeriesInstanceUid, pushed);
                batch.Clear();
            }
        }
        if (batch.Count > 0) pushed += await StoreBatchAsync(destination, batch, study, cancellationToken).ConfigureAwait(false);
        if (total == 0) throw new DicomWebException($"The service returned no instances of the output series {output}; retrying.");
        State.Advance(row.SeriesInstanceUid, BridgeSeriesState.Done, pushed: pushed);
        _logger.LogInformation("Series {Series}: CT series {Output} stored at {Destination} ({Pushed} of {Total} instances sent now, {Present} were there)",
            row.SeriesInstanceUid, output, rule.Destination, pushed - present.Count, total, present.Count);
    }

    private DicomWebClient Destination(string name)
    {
        lock (_destinations) // series run concurrently; one client per destination
        {
            if (!_destinations.TryGetValue(name, out var client))
            {
                client = new DicomWebClient(_options.Destination(name));
                _destinations[name] = client;
            }
            return client;
        }
    }

    private static async Task<int> StoreBatchAsync(DicomWebClient target, List<StowPart> parts, string study, CancellationToken cancellationToken)
    {
        var result = await target.StoreAsync(parts, study, cancellationToken).ConfigureAwait(false);
        if (result.Failed.Count > 0)
        {
            var (sop, reason) = result.Failed[0];
            throw new BridgeInputException(string.Create(CultureInfo.InvariantCulture,
                $"{target.Options.BaseUrl} refused {result.Failed.Count} of {parts.Count} instances, e.g. {sop} with failure reason 0x{reason:X4}."));
        }
        return parts.Count;
    }

    private static bool IsTransient(Exception e) => e switch
    {
        DicomWebException d => d.IsTransient,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
