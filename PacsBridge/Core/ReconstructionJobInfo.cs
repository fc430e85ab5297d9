namespace FedNano.PacsBridge;

/// <summary>A reconstruction job as the FedNano service reports it (<c>GET /api/reconstructions/{id}</c>).</summary>
public sealed record ReconstructionJobInfo
{
    /// <summary>Job id.</summary>
    public string Id { get; init; } = "";

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public string Status { get; init; } = "";

    /// <summary>0–100.</summary>
    public double Progress { get; init; }

    /// <summary>What it is doing now.</summary>
    public string? Stage { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>Study of the raw and the output series.</summary>
    public string StudyInstanceUid { get; init; } = "";

    /// <summary>The raw projection series.</summary>
    public string SeriesInstanceUid { get; init; } = "";

    /// <summary>Reconstruction method.</summary>
    public string Method { get; init; } = "";

    /// <summary>dual-domain checkpoint, or null for the shipped one.</summary>
    public string? Model { get; init; }

    /// <summary>"auto" or "api".</summary>
    public string Trigger { get; init; } = "";

    /// <summary>Worker attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>When the job was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The CT series it writes.</summary>
    public string OutputSeriesInstanceUid { get; init; } = "";

    /// <summary>WADO-RS URL of the output series, once it succeeded.</summary>
    public string? OutputSeriesUrl { get; init; }

    /// <summary>Slices written.</summary>
    public int? Slices { get; init; }

    /// <summary>Seconds per stage of the latest attempt, in the order they ran.</summary>
    public IReadOnlyDictionary<string, double>? StageSeconds { get; init; }

    /// <summary>True for succeeded, failed and cancelled.</summary>
    public bool IsFinal => Status is "succeeded" or "failed" or "cancelled";
}
