using FedNano.FederatedMLLM.Training;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>The vision encoder's supervised pre-training learns what is in an image and where.</summary>
public sealed class VisionPretrainingTests
{
    // Noise images; label 0: a bright 6×6 square somewhere, label 1: it lies in the left half.
    private static (QaDataset Data, Tensor Labels) Squares(int n, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[n, 1, 32, 32];
        var labels = new float[n, 2];
        for (int i = 0; i < n; i++)
        {
            for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) pixels[i, 0, y, x] = 0.3f + 0.1f * (float)random.NextDouble();
            if (random.Next(2) == 0) continue;
            int x0 = random.Next(2, 24), y0 = random.Next(2, 24);
            for (int y = y0; y < y0 + 6; y++) for (int x = x0; x < x0 + 6; x++) pixels[i, 0, y, x] = 0.9f;
            labels[i, 0] = 1;
            labels[i, 1] = x0 + 3 < 16 ? 1 : 0;
        }
        return (new QaDataset(tensor(pixels), []), tensor(labels));
    }

    [Fact]
    public void A_tiny_encoder_learns_presence_and_side_of_a_blob_on_held_out_images()
    {
        using var model = TinyModels.Model();
        var (train, trainLabels) = Squares(256, 1);
        var (test, testLabels) = Squares(128, 2);
        var (losses, probe) = VisionPretrainer.Train(model, train, trainLabels, new VisionStage("vision", 300, 2e-3, 32, ShiftPixels: 0, IntensityJitter: 0), seed: 3);
        using (probe)
        {
            var accuracy = probe.Accuracy(model, test, testLabels);
            Assert.True(losses.TakeLast(20).Average() < 0.5 * losses.Take(20).Average(), $"loss {losses.Take(20).Average():F3} → {losses.TakeLast(20).Average():F3}");
            Assert.True(accuracy[0] > 0.95, $"presence accuracy {accuracy[0]:P1}");
            Assert.True(accuracy[1] > 0.85, $"side accuracy {accuracy[1]:P1}");
        }
    }

    [Fact]
    public void Mirrored_batches_swap_the_side_labels_so_side_is_still_learned()
    {
        using var model = TinyModels.Model();
        var (train, trainLabels) = Squares(256, 1);
        var (test, testLabels) = Squares(128, 2);
        // Label 1 ("left") of a mirrored image is "present and not left" of the original — expressed as a map it needs
        // a "right" label, so add it: 0 present, 1 left, 2 right.
        var right = trainLabels[.., 0] * (1 - trainLabels[.., 1]);
        using var labels3 = cat([trainLabels, right.unsqueeze(1)], 1);
        using var test3 = cat([testLabels, (testLabels[.., 0] * (1 - testLabels[.., 1])).unsqueeze(1)], 1);
        var stage = new VisionStage("vision", 500, 2e-3, 32, ShiftPixels: 0, IntensityJitter: 0, MirrorLabels: [0, 2, 1]);
        var (_, probe) = VisionPretrainer.Train(model, train, labels3, stage, seed: 3);
        using (probe)
        {
            var accuracy = probe.Accuracy(model, test, test3);
            Assert.True(accuracy[1] > 0.85 && accuracy[2] > 0.85, $"left {accuracy[1]:P1}, right {accuracy[2]:P1}");
        }
    }

    [Fact]
    public void A_mirror_map_of_the_wrong_length_is_refused()
    {
        using var model = TinyModels.Model();
        var (train, labels) = Squares(8, 1);
        var error = Assert.Throws<ArgumentException>(() => VisionPretrainer.Train(model, train, labels, new VisionStage("vision", 1, 1e-3, 4, MirrorLabels: [0, 1, 2]), seed: 1));
        Assert.Contains("MirrorLabels", error.Message, StringComparison.Ordinal);
    }
}
