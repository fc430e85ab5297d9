using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Text;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>
/// A padded training batch: for each sample the templated prompt (image placeholders expanded), the answer and EOS;
/// labels are −100 except on the answer and EOS, so only the answer is learned.
/// </summary>
public static class SequenceBatch
{
    /// <summary>Token ids and labels [B, T] for <paramref name="samples"/>.</summary>
    public static (Tensor Ids, Tensor Labels) Build(TextTokenizer tokenizer, IReadOnlyList<QaSample> samples, int imageTokens, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(samples);
        int eos = tokenizer.EosId ?? throw new InvalidOperationException("The tokenizer has no end-of-sequence token.");
        int pad = tokenizer.PadId ?? eos;
        var sequences = new List<(List<int> Ids, int PromptLength)>(samples.Count);
        foreach (var s in samples)
        {
            var prompt = PromptTemplate.Encode(tokenizer, s.Question, imageTokens);
            var ids = new List<int>(prompt);
            ids.AddRange(tokenizer.Encode(" " + s.Answer.Trim()));
            ids.Add(eos);
            if (ids.Count > maxLength) ids = ids.Take(maxLength).ToList();
            sequences.Add((ids, prompt.Count));
        }
        int length = sequences.Max(s => s.Ids.Count);
        var idArray = new long[samples.Count, length];
        var labelArray = new long[samples.Count, length];
        for (int b = 0; b < sequences.Count; b++)
        {
            var (ids, promptLength) = sequences[b];
            for (int t = 0; t < length; t++)
            {
                idArray[b, t] = t < ids.Count ? ids[t] : pad;
                labelArray[b, t] = t < ids.Count && t >= promptLength ? ids[t] : -100;
            }
        }
        return (tensor(idArray), tensor(labelArray));
    }
}
