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
}
