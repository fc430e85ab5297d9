using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// The server half of U-shaped split training: the frozen transformer blocks. A site sends input embeddings up and
/// gets final hidden states back; after computing its loss locally it sends ∂L/∂hidden up and gets ∂L/∂inputs back.
/// Labels and the loss never leave the site. Implemented in process (<see cref="SplitBlocks"/>) and over gRPC.
/// </summary>
public interface ISplitServer
{
    /// <summary>Runs the blocks on <paramref name="inputsEmbeds"/> [B, T, d]; returns a step id and the hidden states [B, T, d].</summary>
    (long StepId, Tensor Hidden) Forward(Tensor inputsEmbeds);

    /// <summary>Backpropagates <paramref name="gradHidden"/> [B, T, d] through step <paramref name="stepId"/>; returns ∂L/∂inputs [B, T, d].</summary>
    /// <exception cref="KeyNotFoundException">The step is unknown or was already used.</exception>
    Tensor Backward(long stepId, Tensor gradHidden);
}
