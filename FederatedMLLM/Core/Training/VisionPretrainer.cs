using System.Diagnostics;
using FedNano.FederatedMLLM.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>
/// Supervised pre-training of the vision encoder on finding labels, the step a public LLaVA gets for free from its
/// CLIP tower. A linear probe scores every patch token the connector will read and the image score is the
/// log-sum-exp over patches, so each patch token must itself say what lies in it (and, through its position, on
/// which side) — the form in which the language model later sees it. The probe is thrown away afterwards.
/// </summary>
public static class VisionPretrainer
{
    /// <summary>
    /// Trains <paramref name="model"/>'s vision tower on <paramref name="labels"/> [N, K] for the images of
    /// <paramref name="data"/>; returns the loss per step and the probe (the caller disposes it), to measure the
    /// tower on held-out images.
    /// </summary>
    public static (IReadOnlyList<double> Losses, FindingProbe Probe) Train(MultimodalModel model, QaDataset data, Tensor labels, VisionStage stage, int seed, Action<StageProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(stage);
        if (labels.shape[0] != data.Images.shape[0]) throw new ArgumentException($"{labels.shape[0]} label rows for {data.Images.shape[0]} images.", nameof(labels));
        if (stage.MirrorLabels is { } map && (map.Count != labels.shape[1] || map.Any(k => k < 0 || k >= labels.shape[1])))
            throw new ArgumentException($"MirrorLabels must map each of the {labels.shape[1]} labels to one of them.", nameof(stage));
        using var mirror = stage.MirrorLabels is { } m ? tensor(m.Select(k => (long)k).ToArray()) : null;
        var device = model.LanguageModel.Body.EmbedTokens.weight!.device;
        var probe = new FindingProbe(model.Config.VisionConfig.HiddenSize, (int)labels.shape[1]);
        probe.to(device);
        var parameters = model.VisionTower.parameters().Concat(probe.parameters()).ToList();
        using var optimizer = optim.AdamW(parameters, lr: stage.LearningRate, weight_decay: 0.05);
        var random = new Random(seed);
        var generator = new Generator((ulong)seed);
        long n = data.Images.shape[0];
        var losses = new List<double>(stage.Steps);
        var watch = Stopwatch.StartNew();
        int warmup = Math.Max(1, stage.Steps / 20);
        model.VisionTower.train();
        for (int step = 0; step < stage.Steps; step++)
        {
            double lr = step < warmup
                ? stage.LearningRate * (step + 1) / warmup
                : stage.LearningRate * (0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, stage.Steps - warmup))));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            using var scope = NewDisposeScope();
            var index = tensor(Enumerable.Range(0, stage.BatchSize).Select(_ => (long)random.Next((int)n)).ToArray());
            var images = Augment(data.Images.index_select(0, index), stage, random, generator);
            var targets = labels.index_select(0, index);
            if (mirror is not null && random.Next(2) == 1)
            {
                images = images.flip(3);
                targets = targets.index_select(1, mirror);
            }
            optimizer.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(probe.Scores(model, images.to(device)), targets.to(device));
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
            double value = loss.item<float>();
            losses.Add(value);
            progress?.Invoke(new StageProgress(stage.Name, step + 1, stage.Steps, value, watch.Elapsed.TotalSeconds));
        }
        model.VisionTower.eval();
        probe.eval();
        return (losses, probe);
    }

    // Random shifts (each image its own) and contrast/brightness jitter: the same anatomy at another place or
    // exposure has the same findings. Pixels are standardised, so no clamping to a range.
    private static Tensor Augment(Tensor images, VisionStage stage, Random random, Generator generator)
    {
        if (stage.ShiftPixels > 0)
        {
            int s = stage.ShiftPixels;
            images = stack(Enumerable.Range(0, (int)images.shape[0]).Select(b => images[b].roll([random.Next(-s, s + 1), random.Next(-s, s + 1)], [1, 2])).ToArray());
        }
        if (stage.IntensityJitter > 0)
        {
            long b = images.shape[0];
            var gain = 1 + stage.IntensityJitter * (2 * rand([b, 1, 1, 1], generator: generator) - 1);
            var offset = stage.IntensityJitter * (2 * rand([b, 1, 1, 1], generator: generator) - 1);
            images = images * gain + offset;
        }
        return images;
    }
}
