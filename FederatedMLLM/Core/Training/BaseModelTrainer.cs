using System.Diagnostics;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Text;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>
/// Trains the whole model on image–question–answer samples with AdamW, stage by stage (e.g. vision–language
/// alignment on reports, then instruction tuning on the question mix), drawing batches with a seeded generator.
/// Returns the loss of every step so curves can be plotted.
/// </summary>
public static class BaseModelTrainer
{
    /// <summary>Runs <paramref name="stage"/>; <paramref name="progress"/> sees every step.</summary>
    public static IReadOnlyList<double> Train(MultimodalModel model, TextTokenizer tokenizer, QaDataset data, TrainingStage stage, int seed,
        int maxLength = 160, Action<StageProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(stage);
        var pool = data.Samples.Where(s => stage.Types is null || stage.Types.Contains(s.Type)).ToList();
        if (pool.Count == 0) throw new ArgumentException($"Stage {stage.Name}: no samples of the kinds it trains on.", nameof(stage));
        // Kind → answer class → samples, for balanced drawing.
        var strata = pool.GroupBy(s => s.Type).Select(t => t.GroupBy(AnswerClass).Select(g => g.ToList()).ToList()).ToList();
        var device = model.LanguageModel.Body.EmbedTokens.weight!.device;
        var random = new Random(seed);
        // Compared by native handle: each parameters() call may wrap the same tensors in new objects.
        var vision = model.VisionTower.parameters().Select(p => p.Handle).ToHashSet();
        var trained = model.parameters().Where(p => !stage.FreezeVision || !vision.Contains(p.Handle)).ToList();
        foreach (var p in model.VisionTower.parameters()) p.requires_grad = !stage.FreezeVision;
        using var optimizer = optim.AdamW(trained, lr: stage.LearningRate, weight_decay: 0.01);
        var losses = new List<double>(stage.Steps);
        var watch = Stopwatch.StartNew();
        int warmup = Math.Max(1, stage.Steps / 20);
        model.train();
        for (int step = 0; step < stage.Steps; step++)
        {
            double lr = step < warmup
                ? stage.LearningRate * (step + 1) / warmup
                : stage.LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, stage.Steps - warmup))));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var batch = Enumerable.Range(0, stage.BatchSize).Select(_ => Draw()).ToList();
            using var scope = NewDisposeScope();
            var (ids, labels) = SequenceBatch.Build(tokenizer, batch, model.ImageTokenCount, maxLength);
            var images = data.Images.index_select(0, tensor(batch.Select(b => (long)b.Image).ToArray())).to(device);
            optimizer.zero_grad();
            var loss = MultimodalModel.CausalLoss(model.Forward(ids.to(device), images), labels.to(device));
            loss.backward();
            nn.utils.clip_grad_norm_(trained, 1.0);
            optimizer.step();
            double value = loss.item<float>();
            losses.Add(value);
            progress?.Invoke(new StageProgress(stage.Name, step + 1, stage.Steps, value, watch.Elapsed.TotalSeconds));
        }
        foreach (var p in model.VisionTower.parameters()) p.requires_grad = true;
        model.eval();
        return losses;

        QaSample Draw()
        {
            if (!stage.BalanceAnswers) return pool[random.Next(pool.Count)];
            var kind = strata[random.Next(strata.Count)];
            var answers = kind[random.Next(kind.Count)];
            return answers[random.Next(answers.Count)];
        }
    }

    private static string AnswerClass(QaSample s) =>
        s.Type == Radiology.QuestionType.Describe ? string.Join(",", Radiology.AnswerScorer.Mentions(s.Answer).Order()) : s.Answer.Trim().ToLowerInvariant();
}
