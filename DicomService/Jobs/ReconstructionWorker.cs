using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Jobs;

/// <summary>
/// Runs queued jobs on <see cref="ReconstructionOptions.Workers"/> background loops, off the request threads, so a
/// reconstruction never blocks the DICOMweb endpoints. At start, jobs a previous process left running are queued
/// again; when the service stops, the running ones are queued again and their partial output removed.
/// </summary>
public sealed class ReconstructionWorker : BackgroundService
{
    private readonly ReconstructionJobStore _jobs;
    private readonly ReconstructionRunner _runner;
    private readonly ReconstructionOptions _options;
    private readonly ILogger<ReconstructionWorker> _logger;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Creates the worker.</summary>
    public ReconstructionWorker(ReconstructionJobStore jobs, ReconstructionRunner runner, IOptions<ReconstructionOptions> options, ILogger<ReconstructionWorker> logger)
    {
        _jobs = jobs;
        _runner = runner;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Wakes an idle worker (a job was queued).</summary>
    public void Notify() => _wake.Release();

    /// <summary>Stops the attempt of a job this process is running (after the store marked it cancelled).</summary>
    public void CancelRunning(string jobId)
    {
        if (_running.TryGetValue(jobId, out var cts)) cts.Cancel();
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        int requeued = _jobs.RequeueInterrupted();
        if (requeued > 0) _logger.LogInformation("Re-queued {Count} reconstruction job(s) left running by a previous process", requeued);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ReconstructionJob? job;
            try
            {
                job = _jobs.ClaimNext();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "Could not read the reconstruction queue");
                job = null;
            }
            if (job is null)
            {
                try
                {
                    await _wake.WaitAsync(Math.Max(10, _options.PollIntervalMilliseconds), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            await RunAsync(job, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(ReconstructionJob job, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[job.Id] = cts;
        _logger.LogInformation("Reconstruction job {Id} ({Method}) of series {Series} started, attempt {Attempt}", job.Id, job.Method, job.SeriesInstanceUid, job.Attempts);
        var progress = new ThrottledProgress(_jobs, job, cts);
        try
        {
            // The work is CPU-bound (torch, FBP): its own thread, not the request pool's.
            var (slices, stages) = await Task.Factory.StartNew(() => _runner.RunAsync(job, progress, cts.Token),
                cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap().ConfigureAwait(false);
            if (!_jobs.Succeed(job.Id, job.Attempts, slices, stages))
            {
                // Cancelled while the last batch was stored: the output must not outlive the cancellation.
                await _runner.RemoveOutputAsync(job, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                _logger.LogInformation("Reconstruction job {Id} stored {Slices} slices as series {Output}", job.Id, slices, job.OutputSeriesInstanceUid);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _jobs.Requeue(job.Id, job.Attempts);
            _logger.LogInformation("Reconstruction job {Id} re-queued: the service is stopping", job.Id);
        }
        catch (OperationCanceledException)
        {
            _logger.LogInformation("Reconstruction job {Id} cancelled", job.Id);
        }
        catch (ReconstructionRunner.JobInputException e)
        {
            _jobs.Fail(job.Id, job.Attempts, e.Message);
            _logger.LogWarning("Reconstruction job {Id} failed: {Reason}", job.Id, e.Message);
        }
        catch (Exception e)
        {
            _jobs.Fail(job.Id, job.Attempts, $"Internal error: {e.Message}");
            _logger.LogError(e, "Reconstruction job {Id} failed", job.Id);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
        }
    }

    /// <summary>Writes progress at most twice a second, and cancels the attempt when the store says it is no longer running.</summary>
    private sealed class ThrottledProgress(ReconstructionJobStore jobs, ReconstructionJob job, CancellationTokenSource cts) : IProgress<(double Percent, string Stage)>
    {
        private long _lastTicks;

        public void Report((double Percent, string Stage) value)
        {
            long now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _lastTicks) < 500 && value.Percent < 100) return;
            Interlocked.Exchange(ref _lastTicks, now);
            if (!jobs.ReportProgress(job.Id, job.Attempts, value.Percent, value.Stage)) cts.Cancel();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
