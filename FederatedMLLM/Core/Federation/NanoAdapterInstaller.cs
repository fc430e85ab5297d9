using FedNano.FederatedMLLM.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>Puts a set of NanoAdapters (as exported or aggregated) into a model's slots for inference, or takes them out.</summary>
public static class NanoAdapterInstaller
{
    /// <summary>
    /// Installs <paramref name="adapters"/> (slots "image" and/or "text") scaled by α/r with the visual-token pooling
    /// they were trained with; null clears both slots and the pooling.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor name or shape does not fit the model, or the pooling does not fit its patch grid.</exception>
    public static void Install(MultimodalModel model, AdapterSet? adapters, double alpha, int imageTokenPooling = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ImageAdapter = null;
        model.TextAdapter = null;
        model.ImageTokenPooling = 1;
        if (adapters is null) return;
        model.ImageTokenPooling = imageTokenPooling;
        int width = model.Config.TextConfig.HiddenSize;
        var device = model.LanguageModel.Body.EmbedTokens.weight!.device;
        foreach (var slot in adapters.Tensors.Select(t => t.Name.Split('.')[0]).Distinct())
        {
            var down = adapters.Tensors.FirstOrDefault(t => t.Name == $"{slot}.down.weight") ?? throw new ArgumentException($"Adapters lack {slot}.down.weight.");
            var up = adapters.Tensors.FirstOrDefault(t => t.Name == $"{slot}.up.weight") ?? throw new ArgumentException($"Adapters lack {slot}.up.weight.");
            if (down.Shape.Length != 2 || down.Shape[1] != width || !up.Shape.SequenceEqual([width, down.Shape[0]]))
                throw new ArgumentException($"Adapter '{slot}' has shapes [{string.Join(", ", down.Shape)}] / [{string.Join(", ", up.Shape)}], which do not fit width {width}.");
            var adapter = new NanoAdapter(slot, width, (int)down.Shape[0], alpha);
            using (no_grad())
            {
                var parameters = adapter.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                parameters["down.weight"].copy_(tensor(down.Values, down.Shape));
                parameters["up.weight"].copy_(tensor(up.Values, up.Shape));
            }
            adapter.to(device);
            adapter.eval();
            if (slot == "image") model.ImageAdapter = adapter;
            else if (slot == "text") model.TextAdapter = adapter;
            else throw new ArgumentException($"Unknown adapter slot '{slot}' (image, text).");
        }
    }
}
