using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Model;
using FedNano.Testing;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Hugging Face-style checkpoints: config.json + safetensors, single or sharded, fp32/bf16/fp16, both LLaVA naming layouts.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _work = new("mllm-ckpt");

    public void Dispose() => _work.Dispose();

    private static Tensor Logits(MultimodalModel model)
    {
        using var noGrad = no_grad();
        return model.Forward(TinyModels.Prompt(model.Config), TinyModels.Images());
    }

    [Theory]
    [InlineData(2L << 30)]
    [InlineData(20_000L)]
    public void Saving_then_loading_reproduces_the_outputs_bit_for_bit(long maxShardBytes)
    {
        using var model = TinyModels.Model();
        var dir = _work.Combine($"ckpt-{maxShardBytes}");
        ModelCheckpoint.Save(model, dir, maxShardBytes: maxShardBytes);

        var (loaded, report) = ModelCheckpoint.Load(dir);

        Assert.True(TinyModels.BitEqual(Logits(model), Logits(loaded)));
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unused);
        Assert.Equal(maxShardBytes < 1_000_000, File.Exists(Path.Combine(dir, SafeTensorsCheckpoint.IndexFile)));
        if (maxShardBytes < 1_000_000) Assert.True(Directory.GetFiles(dir, "model-*-of-*.safetensors").Length > 1);
        loaded.Dispose();
    }

    [Fact]
    public void A_tensor_with_the_wrong_shape_fails_with_a_message_naming_it()
    {
        using var model = TinyModels.Model();
        var dir = _work.Combine("wrong");
        ModelCheckpoint.Save(model, dir);
        var config = TinyModels.Config();
        config.TextConfig.IntermediateSize = 48;
        config.Save(Path.Combine(dir, ModelCheckpoint.ConfigFile));

        var e = Assert.Throws<CheckpointMismatchException>(() => ModelCheckpoint.Load(dir));

        Assert.Equal("language_model.model.layers.0.mlp.gate_proj.weight", e.TensorName);
        Assert.Contains("'language_model.model.layers.0.mlp.gate_proj.weight' in the checkpoint has shape [64, 32]", e.Message);
        Assert.Contains("[48, 32]", e.Message);
    }

    [Fact]
    public void A_missing_tensor_fails_naming_it_unless_its_part_may_be_missing()
    {
        using var model = TinyModels.Model();
        var path = _work.Combine("no-vision.safetensors");
        SafeTensorsFile.Write(path, ModelCheckpoint.BaseTensors(model).Where(t => !t.Name.StartsWith("vision_tower.", StringComparison.Ordinal)));
        using var target = TinyModels.Model(seed: 2);

        var e = Assert.Throws<CheckpointMismatchException>(() => ModelCheckpoint.LoadWeights(target, path));
        var report = ModelCheckpoint.LoadWeights(target, path, new CheckpointLoadOptions { AllowMissingPrefixes = ["vision_tower."] });

        Assert.StartsWith("vision_tower.vision_model.", e.TensorName);
        Assert.Contains("has no tensor for", e.Message);
        Assert.All(report.Missing, n => Assert.StartsWith("vision_tower.", n));
        Assert.True(TinyModels.BitEqual(target.LanguageModel.Body.Norm.Weight, model.LanguageModel.Body.Norm.Weight));
    }

    [Theory]
    [InlineData(ScalarType.BFloat16, "BF16")]
    [InlineData(ScalarType.Float16, "F16")]
    public void Half_precision_checkpoints_are_written_with_their_dtype_and_load_into_float32(ScalarType dtype, string stored)
    {
        using var model = TinyModels.Model();
        var dir = _work.Combine(stored);
        ModelCheckpoint.Save(model, dir, dtype: dtype);

        var (loaded, _) = ModelCheckpoint.Load(dir);
        var file = SafeTensorsFile.Open(Path.Combine(dir, SafeTensorsCheckpoint.SingleFile));
        var original = model.LanguageModel.Body.EmbedTokens.weight!;
        var roundTripped = loaded.LanguageModel.Body.EmbedTokens.weight!;

        Assert.All(file.Entries.Values, e => Assert.Equal(stored, e.Dtype));
        Assert.Equal(ScalarType.Float32, roundTripped.dtype);
        Assert.True(TinyModels.BitEqual(roundTripped, original.to(dtype).to(ScalarType.Float32)));
        Assert.Contains(dtype == ScalarType.BFloat16 ? "bfloat16" : "float16", File.ReadAllText(Path.Combine(dir, ModelCheckpoint.ConfigFile)));
        loaded.Dispose();
    }

    [Fact]
    public void A_model_can_compute_in_bfloat16_after_loading()
    {
        using var model = TinyModels.Model();
        var dir = _work.Combine("bf16-run");
        ModelCheckpoint.Save(model, dir);

        var (loaded, _) = ModelCheckpoint.Load(dir, new CheckpointLoadOptions { Dtype = ScalarType.BFloat16 });
        var logits = Logits(loaded);

        Assert.Equal(ScalarType.BFloat16, logits.dtype);
        Assert.True(logits.to(ScalarType.Float32).allclose(Logits(model), rtol: 0.1, atol: 0.1));
        loaded.Dispose();
    }

    [Fact]
    public void The_newer_transformers_names_and_a_bare_LLaMA_and_CLIP_checkpoint_load_by_name()
    {
        using var model = TinyModels.Model();
        static string Newer(string n) => n.StartsWith("language_model.model.", StringComparison.Ordinal) ? "model.language_model." + n["language_model.model.".Length..]
            : n == "language_model.lm_head.weight" ? "lm_head.weight" : "model." + n;
        var newer = _work.Combine("newer.safetensors");
        SafeTensorsFile.Write(newer, ModelCheckpoint.BaseTensors(model).Select(t => (Newer(t.Name), t.Tensor)));
        var llama = _work.Combine("llama.safetensors");
        SafeTensorsFile.Write(llama, ModelCheckpoint.BaseTensors(model).Where(t => t.Name.StartsWith("language_model.", StringComparison.Ordinal))
            .Select(t => (t.Name["language_model.".Length..], t.Tensor)));
        var clip = _work.Combine("clip.safetensors");
        SafeTensorsFile.Write(clip, ModelCheckpoint.BaseTensors(model).Where(t => t.Name.StartsWith("vision_tower.", StringComparison.Ordinal))
            .Select(t => (t.Name["vision_tower.".Length..], t.Tensor)).Append(("vision_model.embeddings.position_ids", arange(17L).unsqueeze(0))));

        using var fromNewer = TinyModels.Model(seed: 7);
        ModelCheckpoint.LoadWeights(fromNewer, newer);
        using var fromParts = TinyModels.Model(seed: 8);
        ModelCheckpoint.LoadWeights(fromParts, llama, new CheckpointLoadOptions { AllowMissingPrefixes = ["vision_tower.", "multi_modal_projector."] });
        var clipReport = ModelCheckpoint.LoadWeights(fromParts, clip, new CheckpointLoadOptions { AllowMissingPrefixes = ["language_model.", "multi_modal_projector."] });
        fromParts.Projector.load_state_dict(model.Projector.state_dict());

        Assert.True(TinyModels.BitEqual(Logits(model), Logits(fromNewer)));
        Assert.True(TinyModels.BitEqual(Logits(model), Logits(fromParts)));
        Assert.Empty(clipReport.Unused); // position_ids is a recomputed buffer, not a weight
    }

    [Theory]
    [InlineData("short", "shorter than a safetensors header")]
    [InlineData("huge-header", "header length")]
    [InlineData("bad-json", "not valid JSON")]
    [InlineData("bad-range", "does not fit its size")]
    public void A_corrupt_safetensors_file_is_refused_with_the_reason(string kind, string reason)
    {
        var path = _work.Combine(kind + ".safetensors");
        byte[] Header(string json)
        {
            var text = System.Text.Encoding.UTF8.GetBytes(json);
            var bytes = new byte[8 + text.Length + 8];
            BitConverter.GetBytes((long)text.Length).CopyTo(bytes, 0);
            text.CopyTo(bytes, 8);
            return bytes;
        }
        File.WriteAllBytes(path, kind switch
        {
            "short" => [1, 2, 3],
            "huge-header" => [.. BitConverter.GetBytes(1L << 40), 0, 0],
            "bad-json" => Header("{\"a\": "),
            _ => Header("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 8]}}"),
        });

        var e = Assert.Throws<FormatException>(() => SafeTensorsFile.Open(path));

        Assert.Contains(reason, e.Message);
    }
}
