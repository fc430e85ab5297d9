namespace FedNano.FederatedMLLM.Federation;

/// <summary>A site's local training per round (bound from the site agent's <c>Training</c> section).</summary>
public sealed class LocalTrainingOptions
{
    /// <summary>Optimiser steps per round.</summary>
    public int Steps { get; set; } = 50;

    /// <summary>Question–answer pairs per step.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>AdamW learning rate of the adapters.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Longest tokenised sequence (image tokens included).</summary>
    public int MaxLength { get; set; } = 160;

    /// <summary>Examples whose squared gradients estimate the diagonal Fisher (when the aggregator needs it).</summary>
    public int FisherSamples { get; set; } = 32;

    /// <summary>Precision of activations and gradients crossing the network: "fp32" or "fp16".</summary>
    public string ActivationPrecision { get; set; } = "fp32";

    /// <summary>
    /// Differential privacy, update level (Gaussian mechanism): the adapter change of a round is clipped to this L2
    /// norm before noise is added. 0 = off. This protects the update a site sends; it is not a formal (ε, δ) guarantee
    /// unless the accountant of the deployment says so.
    /// </summary>
    public double DpClipNorm { get; set; }

    /// <summary>Noise multiplier σ of the Gaussian mechanism: noise N(0, (σ·DpClipNorm)²) per parameter (0 = off).</summary>
    public double DpNoiseMultiplier { get; set; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A count below 1, a learning rate not positive, or an unknown precision.</exception>
    public void Validate()
    {
        if (Steps < 1 || BatchSize < 1 || MaxLength < 8 || FisherSamples < 1) throw new ArgumentException("Local training: Steps, BatchSize and FisherSamples must be ≥ 1 and MaxLength ≥ 8.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"Local training: LearningRate must be positive, got {LearningRate}.");
        if (!(DpClipNorm >= 0) || !(DpNoiseMultiplier >= 0) || !double.IsFinite(DpClipNorm) || !double.IsFinite(DpNoiseMultiplier))
            throw new ArgumentException("Local training: DpClipNorm and DpNoiseMultiplier must be finite and ≥ 0.");
        if (DpNoiseMultiplier > 0 && DpClipNorm == 0) throw new ArgumentException("Local training: DpNoiseMultiplier needs a DpClipNorm > 0.");
        if (ActivationPrecision is not ("fp32" or "fp16")) throw new ArgumentException($"Local training: ActivationPrecision '{ActivationPrecision}' is not fp32 or fp16.");
    }
}
