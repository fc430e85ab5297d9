using FedNano.FederatedMLLM.Model;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// What FedNano costs a site for a model configuration, from the config alone (no weights): what it stores, what a
/// round uploads, and the split-learning activation traffic per training sample — the figures the paper's "−95 %
/// storage" and "0.01 % communication" claims are checked against.
/// </summary>
/// <param name="FullParameters">Parameters of the whole model.</param>
/// <param name="ClientParameters">Parameters a site holds: vision encoder, connector, embeddings, final norm, LM head, adapters.</param>
/// <param name="AdapterParameters">NanoAdapter parameters (what a round uploads, and the Fisher of the same size when merging by Fisher).</param>
/// <param name="ActivationBytesPerSample">Bytes crossing the network per training sample and step: embeddings up, hidden states down, their two gradients.</param>
public sealed record FederationCosts(long FullParameters, long ClientParameters, long AdapterParameters, long ActivationBytesPerSample)
{
    /// <summary>Client storage relative to the full model.</summary>
    public double StorageFraction => (double)ClientParameters / FullParameters;

    /// <summary>Adapter upload per round relative to the full model's parameters.</summary>
    public double CommunicationFraction => (double)AdapterParameters / FullParameters;

    /// <summary>Costs of <paramref name="config"/> with adapters of <paramref name="adapters"/> and sequences of <paramref name="tokens"/> tokens at <paramref name="activationBytes"/> bytes per value (4 fp32, 2 fp16).</summary>
    public static FederationCosts Of(MultimodalConfig config, NanoAdapterOptions adapters, int tokens, int activationBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adapters);
        adapters.Validate();
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), "Tokens must be ≥ 1.");
        if (activationBytes is not (2 or 4)) throw new ArgumentOutOfRangeException(nameof(activationBytes), "Activations are 2 (fp16) or 4 (fp32) bytes.");
        var parts = config.CountParameters();
        long width = config.TextConfig.HiddenSize;
        int slots = (adapters.ImageAdapter ? 1 : 0) + (adapters.TextAdapter ? 1 : 0);
        long adapterParameters = slots * 2L * width * adapters.Rank;
        long activation = 4L * tokens * width * activationBytes;
        return new FederationCosts(parts.Total + adapterParameters, parts.ClientSide + adapterParameters, adapterParameters, activation);
    }
}
