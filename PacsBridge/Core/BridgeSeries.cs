namespace FedNano.PacsBridge;

/// <summary>One series the bridge has seen, as persisted.</summary>
public sealed record BridgeSeries(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    BridgeSeriesState State,
    string? Rule,
    int? InstanceCount,
    DateTimeOffset CountChangedAt,
    string? JobId,
    string? OutputSeriesInstanceUid,
    int PushedInstances,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset UpdatedAt);
