using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;

namespace FedNano.DicomService.Tests.Questions;

/// <summary>
/// A small randomly initialised model directory in the shipped layout (config.json, safetensors, BPE files,
/// ct_input.json): the endpoint's plumbing is tested with it; answer quality is measured by the training recipe, not here.
/// </summary>
public sealed class TinyQuestionModel : IDisposable
{
    public TinyQuestionModel()
    {
        Directory = Path.Combine(Path.GetTempPath(), "fednano-qa-model-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        BpeVocabulary.Train([PromptTemplate.Format("Is there a pleural effusion?"), " yes", " no", " Small left pleural effusion."], 50, Directory);
        var tokenizer = TextTokenizer.Load(Directory, 4);
        var spec = new CtInputSpec { ImageSize = 32 };
        spec.Save(Directory);
        TorchSharp.torch.manual_seed(5);
        using var model = new MultimodalModel(new MultimodalConfig
        {
            VisionConfig = new VisionConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, ImageSize = 32, PatchSize = 8, NumChannels = spec.Slices },
            TextConfig = new LlamaConfig { VocabSize = tokenizer.VocabularySize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 128 },
            ImageTokenIndex = 4,
        });
        ModelCheckpoint.Save(model, Directory);
    }

    /// <summary>The model directory.</summary>
    public string Directory { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
