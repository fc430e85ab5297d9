using FedNano.FederatedMLLM.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>
/// A linear probe on the vision tower's patch tokens (the ones the connector reads): a score per patch and label,
/// pooled over patches by log-sum-exp (a smooth maximum: a finding anywhere in the image raises its score).
/// </summary>
public sealed class FindingProbe : nn.Module
{
    private readonly Linear linear;

    /// <summary>A probe for <paramref name="labels"/> labels on tokens of width <paramref name="width"/>.</summary>
    public FindingProbe(int width, int labels) : base(nameof(FindingProbe))
    {
        linear = nn.Linear(width, labels);
        RegisterComponents();
    }

    /// <summary>Label scores (logits) [B, K] for images [B, C, H, W].</summary>
    public Tensor Scores(MultimodalModel model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        var patches = model.VisionTower.Encode(images, model.Config.VisionLayersUsed)[.., 1..];
        return linear.forward(patches).logsumexp(1);
    }

    /// <summary>Per-label accuracy (score &gt; 0 ⇔ label 1) on the images of <paramref name="data"/> against <paramref name="labels"/> [N, K].</summary>
    public double[] Accuracy(MultimodalModel model, QaDataset data, Tensor labels, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labels);
        var device = linear.weight!.device;
        long n = data.Images.shape[0], k = labels.shape[1];
        var correct = new double[k];
        using var _ = no_grad();
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, n - start);
            var predicted = Scores(model, data.Images.narrow(0, start, count).to(device)).gt(0).to(ScalarType.Float32).cpu();
            var hits = predicted.eq(labels.narrow(0, start, count)).to(ScalarType.Float32).sum([0L]).data<float>().ToArray();
            for (int j = 0; j < k; j++) correct[j] += hits[j];
        }
        return correct.Select(c => c / n).ToArray();
    }
}
