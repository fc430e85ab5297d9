namespace FedNano.DicomService.Jobs;

/// <summary>Settings of the reconstruction jobs (configuration section <c>Reconstruction</c>).</summary>
public sealed class ReconstructionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Reconstruction";

    /// <summary>Create a job by itself when a complete raw projection series has been stored (default true).</summary>
    public bool AutoReconstruct { get; set; } = true;

    /// <summary>A raw series whose views do not say how many there are (no Images in Acquisition) counts as complete once no view has arrived for this long (seconds, default 10).</summary>
    public double QuietPeriodSeconds { get; set; } = 10;

    /// <summary>A raw series whose views carry Images in Acquisition counts as complete once all are stored and no view has arrived for this long (seconds, default 1; guards against a resend of the same views).</summary>
    public double CompleteSeriesQuietPeriodSeconds { get; set; } = 1;

    /// <summary>A raw series whose views stay short of Images in Acquisition gets a job (which fails, naming the missing views) after this long without a new view (seconds, default 600).</summary>
    public double IncompleteSeriesTimeoutSeconds { get; set; } = 600;

    /// <summary>Jobs run at the same time (default 1: one job already uses every core).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>How often the change feed and the queue are polled when idle (milliseconds, default 500).</summary>
    public int PollIntervalMilliseconds { get; set; } = 500;

    /// <summary>Torch device for the networks: auto (CUDA when available), cpu or cuda.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Method of automatic jobs and of requests that name none: dual-domain, ssr-fbp, 360li or 180li.</summary>
    public string DefaultMethod { get; set; } = "dual-domain";

    /// <summary>Slice spacing of automatic jobs and of requests that name none (mm, default 1.5).</summary>
    public double DefaultSliceSpacingMm { get; set; } = 1.5;

    /// <summary>Slices per network forward pass (default 4).</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Directory of the dual-domain checkpoints a request may name by file name (default: the shipped models beside the service).</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Instances stored per STOW call when the result series is written (default 16).</summary>
    public int StoreBatchSize { get; set; } = 16;
}
