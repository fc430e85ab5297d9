using FedNano.FederatedMLLM.Model;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Small shapes that exercise every feature (GQA, untied head, two vision layers with the penultimate one feeding the connector).</summary>
public static class TinyModels
{
    /// <summary>Image placeholder id of the tiny configs (the BPE vocabulary's fixed id).</summary>
    public const int ImageToken = 4;

    /// <summary>A tiny config: 1-channel 32×32 images in 8×8 patches (16 image tokens), a 2-block decoder of width 32 with 4 query and 2 key/value heads.</summary>
    public static MultimodalConfig Config(int vocab = 64, bool tie = false, string strategy = "default") => new()
    {
        VisionConfig = new VisionConfig
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, ImageSize = 32, PatchSize = 8, NumChannels = 1,
        },
        TextConfig = new LlamaConfig
        {
            VocabSize = vocab, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
            MaxPositionEmbeddings = 256, TieWordEmbeddings = tie,
        },
        ImageTokenIndex = ImageToken,
        VisionFeatureSelectStrategy = strategy,
    };

    /// <summary>A model with weights drawn from <paramref name="seed"/>.</summary>
    public static MultimodalModel Model(int seed = 1, MultimodalConfig? config = null)
    {
        manual_seed(seed);
        return new MultimodalModel(config ?? Config());
    }

    /// <summary>Token ids [1, T]: BOS, a few words, the image placeholders, a few more words.</summary>
    public static Tensor Prompt(MultimodalConfig config, int seed = 3)
    {
        var random = new Random(seed);
        var ids = new List<long> { 1 };
        for (int i = 0; i < 3; i++) ids.Add(random.Next(5, config.TextConfig.VocabSize));
        for (int i = 0; i < config.ImageTokenCount; i++) ids.Add(config.ImageTokenIndex);
        for (int i = 0; i < 5; i++) ids.Add(random.Next(5, config.TextConfig.VocabSize));
        return tensor(ids.ToArray(), ScalarType.Int64).unsqueeze(0);
    }

    /// <summary>Images [n, 1, 32, 32] from <paramref name="seed"/>.</summary>
    public static Tensor Images(int n = 1, int seed = 5)
    {
        manual_seed(seed);
        return rand(n, 1, 32, 32);
    }

    /// <summary>Same shape, dtype and every element bit-equal.</summary>
    public static bool BitEqual(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
}
