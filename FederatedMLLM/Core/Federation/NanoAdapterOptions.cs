namespace FedNano.FederatedMLLM.Federation;

/// <summary>Shape of the NanoAdapters (bound from configuration section <c>Federation:Adapters</c>).</summary>
public sealed class NanoAdapterOptions
{
    /// <summary>Low rank r of each adapter (A: d→r, B: r→d).</summary>
    public int Rank { get; set; } = 8;

    /// <summary>α in the residual scale α/r.</summary>
    public double Alpha { get; set; } = 16;

    /// <summary>Whether NanoAdapter-I (on image tokens after the connector) is trained.</summary>
    public bool ImageAdapter { get; set; } = true;

    /// <summary>Whether NanoAdapter-T (on text token embeddings) is trained.</summary>
    public bool TextAdapter { get; set; } = true;

    /// <summary>
    /// Visual-token pooling the adapters are trained and used with (<see cref="Model.MultimodalModel.ImageTokenPooling"/>):
    /// 2 averages 2 × 2 image tokens, a quarter of the image activations on the wire. 1 = none.
    /// </summary>
    public int ImageTokenPooling { get; set; } = 1;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">Rank below 1, α not positive and finite, or no adapter enabled.</exception>
    public void Validate()
    {
        if (Rank < 1) throw new ArgumentException($"Adapter rank must be ≥ 1, got {Rank}.");
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) throw new ArgumentException($"Adapter alpha must be positive and finite, got {Alpha}.");
        if (!ImageAdapter && !TextAdapter) throw new ArgumentException("At least one of ImageAdapter and TextAdapter must be enabled.");
        if (ImageTokenPooling is < 1 or > 16) throw new ArgumentException($"ImageTokenPooling must be 1 (none) to 16, got {ImageTokenPooling}.");
    }
}
