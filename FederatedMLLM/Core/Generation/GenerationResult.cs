namespace FedNano.FederatedMLLM.Generation;

/// <summary>Generated text and how it ended.</summary>
/// <param name="Text">The answer (stop sequence and special tokens removed).</param>
/// <param name="TokenIds">The generated ids.</param>
/// <param name="StopReason">"eos", "stop-sequence" or "max-tokens".</param>
/// <param name="PromptTokens">Tokens in the prompt (image tokens included).</param>
/// <param name="Seconds">Wall time of the generation loop (prompt and new tokens).</param>
public sealed record GenerationResult(string Text, IReadOnlyList<int> TokenIds, string StopReason, int PromptTokens, double Seconds)
{
    /// <summary>New tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? TokenIds.Count / Seconds : 0;
}
