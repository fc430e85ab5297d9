using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>How a checkpoint is loaded.</summary>
public sealed class CheckpointLoadOptions
{
    /// <summary>Model-name prefixes that may be absent from the checkpoint (e.g. <c>vision_tower.</c> and <c>multi_modal_projector.</c> when loading a bare LLaMA).</summary>
    public IReadOnlyList<string> AllowMissingPrefixes { get; init; } = [];

    /// <summary>The dtype the model computes in after loading (stored tensors are converted); null keeps float32.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The device to load onto; null is the CPU.</summary>
    public Device? Device { get; init; }
}
