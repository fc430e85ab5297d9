using FedNano.FederatedMLLM.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// A site's part of the model ("NanoEdge"): vision encoder, connector, token embeddings and LM head, all frozen,
/// plus the trainable NanoAdapters installed in the model's slots. <see cref="Backpropagate"/> runs one U-shaped
/// split step against an <see cref="ISplitServer"/> and leaves the adapter gradients in place for an optimiser.
/// </summary>
public sealed class NanoEdge
{
    private readonly MultimodalModel _model;

    /// <summary>Installs fresh NanoAdapters into <paramref name="model"/> (width = the LLM width) and freezes everything else.</summary>
    public NanoEdge(MultimodalModel model, NanoAdapterOptions options)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.ImageTokenPooling = options.ImageTokenPooling;
        foreach (var p in model.parameters()) p.requires_grad = false;
        int width = model.Config.TextConfig.HiddenSize;
        var adapters = new List<(string, NanoAdapter)>();
        if (options.ImageAdapter) { var a = new NanoAdapter("image", width, options.Rank, options.Alpha); model.ImageAdapter = a; adapters.Add(("image", a)); }
        if (options.TextAdapter) { var a = new NanoAdapter("text", width, options.Rank, options.Alpha); model.TextAdapter = a; adapters.Add(("text", a)); }
        var device = model.LanguageModel.Body.EmbedTokens.weight!.device;
        foreach (var (_, a) in adapters) a.to(device);
        Adapters = adapters;
    }

    /// <summary>Image tokens per image (prompt placeholders to expand).</summary>
    public int ImageTokenCount => _model.ImageTokenCount;

    /// <summary>The visual-token pooling the adapters train with.</summary>
    public int ImageTokenPooling => _model.ImageTokenPooling;

    /// <summary>The adapters by slot name ("image", "text").</summary>
    public IReadOnlyList<(string Slot, NanoAdapter Adapter)> Adapters { get; }

    /// <summary>The trainable parameters (the adapters'), for an optimiser.</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters => Adapters.SelectMany(a => a.Adapter.parameters()).ToList();

    /// <summary>The adapters' current values as an <see cref="AdapterSet"/> (names "slot.param").</summary>
    public AdapterSet Export()
    {
        var tensors = new List<AdapterTensor>();
        foreach (var (slot, adapter) in Adapters)
            foreach (var (name, p) in adapter.named_parameters())
                tensors.Add(new AdapterTensor($"{slot}.{name}", p.shape, p.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray()));
        return new AdapterSet(tensors);
    }

    /// <summary>Loads <paramref name="adapters"/> (e.g. the global adapters of a round) into the slots.</summary>
    /// <exception cref="ArgumentException">The layout differs from this site's adapters.</exception>
    public void Import(AdapterSet adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        if (!adapters.SameLayout(Export())) throw new ArgumentException("The adapters' names or shapes differ from this site's NanoAdapters.", nameof(adapters));
        using var noGrad = no_grad();
        int k = 0;
        foreach (var (_, adapter) in Adapters)
            foreach (var (_, p) in adapter.named_parameters())
            {
                var t = adapters.Tensors[k++];
                p.copy_(tensor(t.Values, t.Shape));
            }
    }

    /// <summary>
    /// One split step: embed and adapt locally, blocks on the server, logits and loss locally, gradients back
    /// through the server into the adapters (accumulated into their <c>.grad</c>). With <paramref name="proximalMu"/>
    /// &gt; 0 adds FedProx's μ/2·‖θ − θ_global‖² against <paramref name="global"/>. Returns the loss.
    /// </summary>
    public double Backpropagate(Tensor inputIds, Tensor? images, Tensor labels, ISplitServer server, double proximalMu = 0, AdapterSet? global = null, ScalarType activationType = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(server);
        using var scope = NewDisposeScope();
        var imageTokens = images is null ? null : _model.EncodeImages(images);
        var embeds = _model.EmbedPrompt(inputIds, imageTokens);
        // What crosses the network: activations at the chosen precision, never labels.
        var (stepId, hidden) = server.Forward(embeds.detach().to(activationType));
        var h = hidden.to(ScalarType.Float32).detach().requires_grad_(true);
        var loss = MultimodalModel.CausalLoss(_model.LanguageModel.Head(h), labels);
        loss.backward();
        var gradInputs = server.Backward(stepId, h.grad!.to(activationType));
        if (embeds.requires_grad) embeds.backward([gradInputs.to(embeds.dtype)]);
        double value = loss.item<float>();
        if (proximalMu > 0)
        {
            ArgumentNullException.ThrowIfNull(global);
            var current = Parameters;
            var prox = zeros(1);
            for (int i = 0; i < current.Count; i++)
                prox = prox + (current[i] - tensor(global.Tensors[i].Values, global.Tensors[i].Shape).to(current[i].device)).pow(2).sum();
            prox = 0.5 * proximalMu * prox;
            prox.backward();
            value += prox.item<float>();
        }
        return value;
    }
}
