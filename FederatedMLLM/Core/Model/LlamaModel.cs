using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>The LLaMA body as Hugging Face names it (<c>embed_tokens</c>, <c>layers</c>, <c>norm</c>).</summary>
public sealed class LlamaModel : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly LlamaDecoderLayer[] _layerList;

    /// <summary>Creates the body for <paramref name="config"/>.</summary>
    public LlamaModel(string name, LlamaConfig config) : base(name)
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer($"layer{i}", config)).ToArray());
        norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
        _layerList = [.. layers];
    }

    /// <summary>The token-embedding table.</summary>
    public Embedding EmbedTokens => embed_tokens;

    /// <summary>The transformer blocks.</summary>
    public IReadOnlyList<LlamaDecoderLayer> Layers => _layerList;

    /// <summary>The final norm.</summary>
    public RmsNorm Norm => norm;
}
