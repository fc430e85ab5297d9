namespace FedNano.FederatedMLLM.Model;

/// <summary>Parameter counts of the model's parts, and of the two sides FedNano splits it into.</summary>
/// <param name="VisionEncoder">The ViT.</param>
/// <param name="Projector">The connector.</param>
/// <param name="TokenEmbeddings">The token-embedding table.</param>
/// <param name="TransformerBlocks">All decoder blocks.</param>
/// <param name="FinalNorm">The decoder's last RMSNorm.</param>
/// <param name="LmHead">The LM head (0 when tied to the embeddings).</param>
public sealed record ParameterBreakdown(long VisionEncoder, long Projector, long TokenEmbeddings, long TransformerBlocks, long FinalNorm, long LmHead)
{
    /// <summary>All parameters.</summary>
    public long Total => VisionEncoder + Projector + TokenEmbeddings + TransformerBlocks + FinalNorm + LmHead;

    /// <summary>What a site holds in FedNano's split: encoder, connector, embeddings, final norm and LM head (adapters not counted).</summary>
    public long ClientSide => VisionEncoder + Projector + TokenEmbeddings + FinalNorm + LmHead;

    /// <summary>What only the server holds: the transformer blocks.</summary>
    public long ServerSide => TransformerBlocks;
}
