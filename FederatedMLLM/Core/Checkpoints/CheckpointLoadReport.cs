namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>What loading a checkpoint did.</summary>
/// <param name="Loaded">Model tensors filled from the checkpoint (model name → checkpoint name).</param>
/// <param name="Missing">Model tensors the checkpoint lacked (allowed by the load options; they keep their initial values).</param>
/// <param name="Unused">Checkpoint tensors no model tensor took (e.g. a CLIP text tower, rotary tables saved as buffers).</param>
public sealed record CheckpointLoadReport(IReadOnlyDictionary<string, string> Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unused);
