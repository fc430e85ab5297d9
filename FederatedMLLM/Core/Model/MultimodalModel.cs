using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// The LLaVA-style multimodal LLM: <see cref="ClipVisionTower"/> → <see cref="LlavaProjector"/> → image tokens,
/// spliced into the token embeddings where the prompt has image placeholders, then the <see cref="LlamaForCausalLM"/>.
/// Parameter names follow Hugging Face's LLaVA (<c>vision_tower.…</c>, <c>multi_modal_projector.…</c>,
/// <c>language_model.…</c>).
/// </summary>
/// <remarks>
/// The parts FedNano splits are separate calls: the site side is <see cref="EncodeImages"/> (encoder, connector,
/// NanoAdapter-I), <see cref="EmbedPrompt"/> (token embeddings, NanoAdapter-T) and <see cref="LlamaForCausalLM.Head"/>;
/// the server side is <see cref="LlamaForCausalLM.RunBlocks"/>. The adapter slots are identities until adapters are
/// attached; they are not part of the base checkpoint.
/// </remarks>
public sealed class MultimodalModel : nn.Module
{
    private readonly ClipVisionTower vision_tower;
    private readonly LlavaProjector multi_modal_projector;
    private readonly LlamaForCausalLM language_model;

    /// <summary>Creates the model (random initialisation) for <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public MultimodalModel(MultimodalConfig config) : base(nameof(MultimodalModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        vision_tower = new ClipVisionTower("vision_tower", config.VisionConfig);
        multi_modal_projector = new LlavaProjector("multi_modal_projector", config.VisionConfig.HiddenSize, config.TextConfig.HiddenSize);
        language_model = new LlamaForCausalLM("language_model", config.TextConfig);
        RegisterComponents();
    }

    /// <summary>The shape.</summary>
    public MultimodalConfig Config { get; }

    /// <summary>The vision encoder.</summary>
    public ClipVisionTower VisionTower => vision_tower;

    /// <summary>The connector.</summary>
    public LlavaProjector Projector => multi_modal_projector;

    /// <summary>The decoder LLM.</summary>
    public LlamaForCausalLM LanguageModel => language_model;

    /// <summary>NanoAdapter-I slot: applied to the connector's output (image tokens). Identity when null.</summary>
    public nn.Module<Tensor, Tensor>? ImageAdapter { get; set; }

    /// <summary>NanoAdapter-T slot: applied to the text token embeddings. Identity when null.</summary>
    public nn.Module<Tensor, Tensor>? TextAdapter { get; set; }

    /// <summary>
    /// Visual-token pooling: image tokens averaged over p × p neighbourhoods of their square patch grid after the
    /// connector (1 = none), so an image costs p² times fewer tokens, in the LLM and on the wire of split training.
    /// Adapters trained with a pooling must be used with it.
    /// </summary>
    /// <exception cref="ArgumentException">Below 1, or not a divisor of the patch grid side, or a feature strategy other than the patch tokens.</exception>
    public int ImageTokenPooling
    {
        get => _imageTokenPooling;
        set
        {
            if (value < 1) throw new ArgumentException($"Image token pooling must be ≥ 1, got {value}.", nameof(value));
            int side = (int)Math.Round(Math.Sqrt(Config.VisionConfig.PatchCount));
            if (value > 1 && (Config.ImageTokenCount != side * side || side % value != 0))
                throw new ArgumentException($"Image token pooling {value} needs the {side}×{side} patch tokens alone (vision_feature_select_strategy 'default') and a divisor of {side}.", nameof(value));
            _imageTokenPooling = value;
        }
    }

    private int _imageTokenPooling = 1;

    /// <summary>Image tokens one image becomes after <see cref="ImageTokenPooling"/> (prompts need this many placeholders).</summary>
    public int ImageTokenCount => Config.ImageTokenCount / (_imageTokenPooling * _imageTokenPooling);

    /// <summary>Images [B, C, H, W] → image tokens [B, <see cref="ImageTokenCount"/>, d] in the LLM's width.</summary>
    public Tensor EncodeImages(Tensor images)
    {
        using var scope = NewDisposeScope();
        var hidden = vision_tower.Encode(images, Config.VisionLayersUsed);
        var features = Config.VisionFeatureSelectStrategy switch
        {
            "full" => hidden,
            "pooled" => stack([vision_tower.PostNorm(hidden[.., 0]), hidden[.., 1..].mean([1L])], 1),
            _ => hidden[.., 1..],
        };
        var tokens = multi_modal_projector.forward(features);
        if (_imageTokenPooling > 1)
        {
            long side = (long)Math.Round(Math.Sqrt(tokens.shape[1])), d = tokens.shape[2];
            var grid = tokens.reshape(tokens.shape[0], side, side, d).permute(0, 3, 1, 2);
            tokens = nn.functional.avg_pool2d(grid, _imageTokenPooling).flatten(2).transpose(1, 2);
        }
        if (ImageAdapter is not null) tokens = ImageAdapter.forward(tokens);
        return tokens.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Input embeddings [B, T, d] for token ids [B, T] whose image placeholders (<see cref="MultimodalConfig.ImageTokenIndex"/>,
    /// <see cref="MultimodalConfig.ImageTokenCount"/> per image) are replaced, in order, by <paramref name="imageTokens"/> [B, N, d].
    /// </summary>
    /// <exception cref="ArgumentException">The placeholder count does not match the image tokens given.</exception>
    public Tensor EmbedPrompt(Tensor inputIds, Tensor? imageTokens)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        var placeholders = inputIds.eq(Config.ImageTokenIndex);
        long slots = placeholders.sum().item<long>();
        long given = imageTokens is null ? 0 : imageTokens.shape[0] * imageTokens.shape[1];
        if (slots != given)
            throw new ArgumentException($"The prompt has {slots} image placeholder tokens but {given} image tokens were given.", nameof(imageTokens));
        var embeds = language_model.Embed(inputIds);
        if (TextAdapter is not null) embeds = TextAdapter.forward(embeds);
        if (imageTokens is not null && slots > 0)
        {
            var mask = placeholders.unsqueeze(-1).expand_as(embeds);
            embeds = embeds.masked_scatter(mask, imageTokens.to(embeds.dtype).reshape(-1, embeds.shape[2]));
        }
        return embeds.MoveToOuterDisposeScope();
    }

    /// <summary>The whole model: token ids (with placeholders) and images → logits [B, T, vocab].</summary>
    public Tensor Forward(Tensor inputIds, Tensor? images, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var imageTokens = images is null ? null : EncodeImages(images);
        return language_model.Forward(EmbedPrompt(inputIds, imageTokens), cache).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Next-token cross-entropy of <paramref name="logits"/> [B, T, V] against <paramref name="labels"/> [B, T]
    /// (position t predicts label t + 1; label −100 is ignored: prompt, image and padding positions).
    /// </summary>
    public static Tensor CausalLoss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        long vocab = logits.shape[2], steps = logits.shape[1] - 1;
        var predicted = logits.narrow(1, 0, steps).reshape(-1, vocab).to(ScalarType.Float32);
        var targets = labels.narrow(1, 1, steps).reshape(-1);
        return nn.functional.cross_entropy(predicted, targets, ignore_index: -100).MoveToOuterDisposeScope();
    }
}
