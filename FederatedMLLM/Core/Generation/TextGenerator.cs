using System.Diagnostics;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Text;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Generation;

/// <summary>
/// Autoregressive generation with a KV cache: the prompt (image tokens included) runs once, then one token per step.
/// Greedy at temperature 0, else top-p sampling with a seeded generator, so the same seed gives the same answer.
/// </summary>
public static class TextGenerator
{
    /// <summary>Generates an answer to <paramref name="promptIds"/> (already templated, placeholders expanded) about <paramref name="images"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid or the prompt is empty.</exception>
    public static GenerationResult Generate(MultimodalModel model, TextTokenizer tokenizer, IReadOnlyList<int> promptIds, Tensor? images, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(promptIds);
        options ??= new GenerationOptions();
        options.Validate();
        if (promptIds.Count == 0) throw new ArgumentException("The prompt is empty.", nameof(promptIds));
        var device = model.LanguageModel.Body.EmbedTokens.weight!.device;
        var random = new Random(options.Seed);
        // Tokens that must never be produced: the image placeholder (there are no image tokens to put there), BOS and padding.
        var banned = new HashSet<int> { tokenizer.ImageTokenId };
        if (tokenizer.BosId is { } bos) banned.Add(bos);
        if (tokenizer.PadId is { } pad) banned.Add(pad);
        var generated = new List<int>();
        var watch = Stopwatch.StartNew();
        string stopReason = "max-tokens";
        string text = "";
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var cache = new KvCache(model.Config.TextConfig.NumHiddenLayers);
            using (var scope = NewDisposeScope())
            {
                var ids = tensor(promptIds.Select(i => (long)i).ToArray(), ScalarType.Int64, device).unsqueeze(0);
                var logits = model.Forward(ids, images?.to(device), cache);
                int next = Pick(logits[0, -1], options, random, banned);
                generated.Add(next);
            }
            while (true)
            {
                if (generated[^1] == tokenizer.EosId) { stopReason = "eos"; generated.RemoveAt(generated.Count - 1); break; }
                text = tokenizer.Decode(generated).Trim();
                if (Stop(text, options.StopSequences) is { } cut) { text = cut; stopReason = "stop-sequence"; break; }
                if (generated.Count >= options.MaxNewTokens) break;
                using var scope = NewDisposeScope();
                var step = tensor(new long[] { generated[^1] }, ScalarType.Int64, device).unsqueeze(0);
                var embeds = model.EmbedPrompt(step, null);
                var logits = model.LanguageModel.Forward(embeds, cache);
                generated.Add(Pick(logits[0, -1], options, random, banned));
            }
            if (stopReason == "eos") text = tokenizer.Decode(generated).Trim();
        }
        finally
        {
            model.train(wasTraining);
        }
        return new GenerationResult(text, generated, stopReason, promptIds.Count, watch.Elapsed.TotalSeconds);
    }

    private static string? Stop(string text, IReadOnlyList<string> stops)
    {
        foreach (var s in stops)
        {
            if (s.Length == 0) continue;
            int at = text.IndexOf(s, StringComparison.Ordinal);
            if (at >= 0) return text[..at].TrimEnd();
        }
        return null;
    }

    /// <summary>The next token from last-position logits [V]: arg-max, or a top-p sample at the temperature; <paramref name="banned"/> ids are never chosen.</summary>
    internal static int Pick(Tensor logits, GenerationOptions options, Random random, IReadOnlySet<int> banned)
    {
        var values = logits.to(ScalarType.Float64).cpu().data<double>().ToArray();
        foreach (var id in banned)
            if (id >= 0 && id < values.Length) values[id] = double.NegativeInfinity;
        if (options.Temperature == 0)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
            return best;
        }
        double max = values.Max();
        var probabilities = values.Select(v => Math.Exp((v - max) / options.Temperature)).ToArray();
        double total = probabilities.Sum();
        var order = Enumerable.Range(0, values.Length).OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
        double kept = 0;
        int count = 0;
        while (count < order.Length && kept < options.TopP * total) kept += probabilities[order[count++]];
        double draw = random.NextDouble() * kept;
        for (int k = 0; k < count; k++)
        {
            draw -= probabilities[order[k]];
            if (draw <= 0) return order[k];
        }
        return order[count - 1];
    }
}
