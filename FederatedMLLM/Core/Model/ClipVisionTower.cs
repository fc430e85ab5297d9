using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// The vision encoder: a ViT (Dosovitskiy et al. 2021) laid out as CLIP's vision tower (Radford et al. 2021), so a
/// CLIP or LLaVA checkpoint loads by name: <c>vision_model.embeddings</c> (class token, patch convolution, learned
/// positions), <c>pre_layrnorm</c> (sic, CLIP's spelling), <c>encoder.layers</c>, <c>post_layernorm</c>.
/// </summary>
public sealed class ClipVisionTower : nn.Module
{
    private readonly ClipVisionTransformer vision_model;

    /// <summary>Creates the tower (random initialisation) for <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public ClipVisionTower(string name, VisionConfig config) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        vision_model = new ClipVisionTransformer("vision_model", config);
        RegisterComponents();
    }

    /// <summary>The shape.</summary>
    public VisionConfig Config { get; }

    /// <summary>
    /// Images [B, C, H, W] (H = W = image_size) → hidden states after block <paramref name="layersToRun"/> [B, 1 + patches, width]
    /// (class token first), and the post-norm class token [B, width] when every block ran.
    /// </summary>
    /// <exception cref="ArgumentException">The images have the wrong shape.</exception>
    public Tensor Encode(Tensor images, int layersToRun) => vision_model.Encode(images, layersToRun);

    /// <summary>The post-layernorm applied to a class token (CLIP's pooled output).</summary>
    public Tensor PostNorm(Tensor x) => vision_model.PostNorm(x);
}

/// <summary>The ViT body under <c>vision_model</c>.</summary>
public sealed class ClipVisionTransformer : nn.Module
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm post_layernorm;
    private readonly VisionConfig _config;

    /// <summary>Creates the body.</summary>
    public ClipVisionTransformer(string name, VisionConfig config) : base(name)
    {
        _config = config;
        embeddings = new ClipVisionEmbeddings("embeddings", config);
        pre_layrnorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        encoder = new ClipEncoder("encoder", config);
        post_layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>See <see cref="ClipVisionTower.Encode"/>.</summary>
    public Tensor Encode(Tensor images, int layersToRun)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != _config.NumChannels || images.shape[2] != _config.ImageSize || images.shape[3] != _config.ImageSize)
            throw new ArgumentException($"The vision encoder expects [batch, {_config.NumChannels}, {_config.ImageSize}, {_config.ImageSize}], got [{string.Join(", ", images.shape)}].", nameof(images));
        if (layersToRun < 1 || layersToRun > _config.NumHiddenLayers)
            throw new ArgumentOutOfRangeException(nameof(layersToRun), $"{layersToRun} is outside 1..{_config.NumHiddenLayers}.");
        using var scope = NewDisposeScope();
        var h = pre_layrnorm.forward(embeddings.forward(images));
        for (int i = 0; i < layersToRun; i++) h = encoder.Layers[i].forward(h);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>CLIP's post-layernorm.</summary>
    public Tensor PostNorm(Tensor x) => post_layernorm.forward(x);
}

/// <summary>Class token, patch embedding (a stride-patch convolution without bias) and learned absolute positions.</summary>
public sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Parameter class_embedding;
    private readonly Conv2d? patch_embedding;
    private readonly ModuleList<Conv2d>? stem;
    private readonly Conv2d? stem_projection;
    private readonly Embedding position_embedding;

    /// <summary>Creates the embeddings.</summary>
    public ClipVisionEmbeddings(string name, VisionConfig config) : base(name)
    {
        class_embedding = new Parameter(randn(config.HiddenSize) * 0.02);
        if (config.PatchEmbeddingType == "conv_stem")
        {
            var layers = new List<Conv2d>();
            long input = config.NumChannels;
            foreach (int c in config.StemChannels) { layers.Add(nn.Conv2d(input, c, 3, stride: 2, padding: 1)); input = c; }
            stem = nn.ModuleList(layers.ToArray());
            stem_projection = nn.Conv2d(input, config.HiddenSize, 1, bias: false);
        }
        else
        {
            patch_embedding = nn.Conv2d(config.NumChannels, config.HiddenSize, config.PatchSize, stride: config.PatchSize, bias: false);
        }
        position_embedding = nn.Embedding(config.PatchCount + 1, config.HiddenSize);
        RegisterComponents();
        using var noGrad = no_grad();
        position_embedding.weight!.normal_(0, 0.02);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var patches = Patchify(images).flatten(2).transpose(1, 2);
        var cls = class_embedding.expand(patches.shape[0], 1, -1);
        var tokens = cat([cls, patches], 1);
        return (tokens + position_embedding.weight!.unsqueeze(0)).MoveToOuterDisposeScope();
    }

    private Tensor Patchify(Tensor images)
    {
        if (patch_embedding is not null) return patch_embedding.forward(images.to(patch_embedding.weight!.dtype));
        var h = images.to(stem_projection!.weight!.dtype);
        foreach (var conv in stem!) h = nn.functional.gelu(conv.forward(h));
        return stem_projection.forward(h);
    }
}

/// <summary>The ViT blocks under <c>encoder.layers</c>.</summary>
public sealed class ClipEncoder : nn.Module
{
    private readonly ModuleList<ClipEncoderLayer> layers;
    private readonly ClipEncoderLayer[] _layerList;

    /// <summary>Creates the blocks.</summary>
    public ClipEncoder(string name, VisionConfig config) : base(name)
    {
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new ClipEncoderLayer($"layer{i}", config)).ToArray());
        RegisterComponents();
        _layerList = [.. layers];
    }

    /// <summary>The blocks.</summary>
    public IReadOnlyList<ClipEncoderLayer> Layers => _layerList;
}
