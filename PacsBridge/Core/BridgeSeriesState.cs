namespace FedNano.PacsBridge;

/// <summary>Where a series is in the bridge's round trip. Each step is persisted before the next begins.</summary>
public enum BridgeSeriesState
{
    /// <summary>Seen; waiting for its instance count to settle.</summary>
    Pending,

    /// <summary>Complete and routed: to be retrieved from the source and sent to the service.</summary>
    Ready,

    /// <summary>Sent; the service's job (its id recorded) is being followed.</summary>
    Reconstructing,

    /// <summary>The job succeeded; its CT series is being pushed to the destination.</summary>
    Pushing,

    /// <summary>The CT series is stored at the destination.</summary>
    Done,

    /// <summary>No rule takes it (or it is not projection data).</summary>
    Ignored,

    /// <summary>Given up: a permanent error, or too many attempts; <c>LastError</c> says why.</summary>
    DeadLetter,
}
