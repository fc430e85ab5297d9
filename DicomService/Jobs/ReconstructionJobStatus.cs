namespace FedNano.DicomService.Jobs;

/// <summary>Where a reconstruction job is in its life: queued → running → succeeded | failed | cancelled.</summary>
public enum ReconstructionJobStatus
{
    /// <summary>Waiting for a worker.</summary>
    Queued,
    /// <summary>A worker is reconstructing it.</summary>
    Running,
    /// <summary>The CT series is stored.</summary>
    Succeeded,
    /// <summary>It stopped with a reason; nothing of its output is left.</summary>
    Failed,
    /// <summary>Cancelled by a user; nothing of its output is left.</summary>
    Cancelled,
}
