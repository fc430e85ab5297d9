using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Model;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>FedNano's storage and communication figures from a config alone.</summary>
public sealed class FederationCostsTests
{
    // LLaVA-1.5-7B's shape (llava-hf/llava-1.5-7b-hf): CLIP ViT-L/14 at 336, a 4096-wide LLaMA-2-7B with 32 000 + 64 tokens.
    private static MultimodalConfig Llava7B() => new()
    {
        VisionConfig = new VisionConfig { HiddenSize = 1024, IntermediateSize = 4096, NumHiddenLayers = 24, NumAttentionHeads = 16, ImageSize = 336, PatchSize = 14 },
        TextConfig = new LlamaConfig { VocabSize = 32064, HiddenSize = 4096, IntermediateSize = 11008, NumHiddenLayers = 32, NumAttentionHeads = 32, NumKeyValueHeads = 32, MaxPositionEmbeddings = 4096 },
        ImageTokenIndex = 32000,
    };

    [Fact]
    public void For_LLaVA_1_5_7B_a_site_stores_under_a_tenth_of_the_model_and_uploads_about_a_hundredth_of_a_percent()
    {
        var costs = FederationCosts.Of(Llava7B(), new NanoAdapterOptions { Rank = 48 }, tokens: 640, activationBytes: 2);
        Assert.Equal(2 * 2L * 4096 * 48, costs.AdapterParameters); // 786 432
        // Vision 303.5 M + projector 21.0 M + embeddings and head 131 M each + norm, of 7.06 B.
        Assert.InRange(costs.StorageFraction, 0.082, 0.084);
        Assert.InRange(costs.CommunicationFraction, 1.1e-4, 1.12e-4);
        Assert.Equal(4L * 640 * 4096 * 2, costs.ActivationBytesPerSample); // ≈ 21 MB per sample and step
    }

    [Fact]
    public void Disabling_an_adapter_halves_the_upload()
    {
        var both = FederationCosts.Of(Llava7B(), new NanoAdapterOptions { Rank = 8 }, 100, 4);
        var image = FederationCosts.Of(Llava7B(), new NanoAdapterOptions { Rank = 8, TextAdapter = false }, 100, 4);
        Assert.Equal(both.AdapterParameters, 2 * image.AdapterParameters);
    }
}
