using FedNano.FederatedMLLM.Model;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Sizes from a config alone, checked by hand against LLaVA-1.5-7B (llava-hf/llava-1.5-7b-hf's config.json).</summary>
public sealed class ParameterCountTests
{
    // The published config of llava-hf/llava-1.5-7b-hf (sparse text_config: LlamaConfig defaults apply).
    private const string Llava15_7B = """
        {
          "architectures": ["LlavaForConditionalGeneration"],
          "ignore_index": -100,
          "image_token_index": 32000,
          "model_type": "llava",
          "pad_token_id": 32001,
          "projector_hidden_act": "gelu",
          "text_config": {
            "_name_or_path": "lmsys/vicuna-7b-v1.5",
            "architectures": ["LlamaForCausalLM"],
            "max_position_embeddings": 4096,
            "model_type": "llama",
            "rms_norm_eps": 1e-05,
            "torch_dtype": "float16",
            "vocab_size": 32064
          },
          "tie_word_embeddings": false,
          "torch_dtype": "float16",
          "vision_config": {
            "hidden_size": 1024,
            "image_size": 336,
            "intermediate_size": 4096,
            "model_type": "clip_vision_model",
            "num_attention_heads": 16,
            "num_hidden_layers": 24,
            "patch_size": 14,
            "projection_dim": 768,
            "vocab_size": 32000
          },
          "vision_feature_layer": -2,
          "vision_feature_select_strategy": "default",
          "vocab_size": 32064
        }
        """;

    [Fact]
    public void LLaVA_1_5_7B_is_counted_part_by_part_without_allocating_weights()
    {
        var config = MultimodalConfig.Parse(Llava15_7B);
        config.Validate();

        var counts = config.CountParameters();

        // CLIP ViT-L/14-336: embeddings 1 024 + 3·14·14·1 024 + 577·1 024; two layer norms; 24 blocks of 12 596 224.
        Assert.Equal(303_507_456, counts.VisionEncoder);
        // 1 024·4 096 + 4 096 + 4 096·4 096 + 4 096.
        Assert.Equal(20_979_712, counts.Projector);
        // 32 blocks of 4·4 096² + 3·4 096·11 008 + 2·4 096.
        Assert.Equal(6_476_267_520, counts.TransformerBlocks);
        Assert.Equal(32_064L * 4096, counts.TokenEmbeddings);
        Assert.Equal(32_064L * 4096, counts.LmHead);
        Assert.Equal(7_063_427_072, counts.Total);
        Assert.Equal(576, config.ImageTokenCount);
        // A FedNano site holds everything but the blocks: 8.3 % of the model (−91.7 %); encoder and connector alone are 4.6 % (the paper's −95 %).
        Assert.Equal(587_159_552, counts.ClientSide);
    }

    [Fact]
    public void A_bare_LLaMA_config_parses_with_its_defaults()
    {
        var config = MultimodalConfig.Parse("""{"model_type": "llama", "num_key_value_heads": 8, "hidden_size": 4096, "num_attention_heads": 32}""");

        Assert.Equal(8, config.TextConfig.KeyValueHeads);
        Assert.Equal(128, config.TextConfig.HeadWidth);
        Assert.Equal(32, config.TextConfig.NumHiddenLayers);
    }

    [Theory]
    [InlineData("""{"model_type": "bert"}""", "model_type 'bert' is not supported")]
    [InlineData("""[1, 2]""", "is not a JSON object")]
    [InlineData("""{"model_type": "llava", "text_config": {"hidden_size": "wide"}}""", "is not valid config JSON")]
    public void Unsupported_or_malformed_configs_are_refused_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<FormatException>(() => MultimodalConfig.Parse(json));

        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Query_heads_that_are_not_a_multiple_of_the_kv_heads_are_refused()
    {
        var config = TinyModels.Config();
        config.TextConfig.NumKeyValueHeads = 3;

        var e = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("not a multiple of num_key_value_heads 3", e.Message);
    }
}
