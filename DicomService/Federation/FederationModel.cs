using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace FedNano.DicomService.Federation;

/// <summary>The hosted base model whose frozen transformer blocks serve the sites' split steps; loaded on first use.</summary>
public sealed class FederationModel(IOptions<FederationOptions> options, ILogger<FederationModel> logger) : IDisposable
{
    private readonly FederationOptions _options = options.Value;
    private readonly Lock _gate = new();
    private (MultimodalModel Model, SplitBlocks Blocks, string Version)? _loaded;

    /// <summary>The model, its split server and its version.</summary>
    /// <exception cref="InvalidOperationException">There is no loadable model at <see cref="FederationOptions.ModelDirectory"/>.</exception>
    public (MultimodalModel Model, SplitBlocks Blocks, string Version) Get()
    {
        lock (_gate)
        {
            if (_loaded is { } loaded) return loaded;
            var directory = Path.IsPathRooted(_options.ModelDirectory) ? _options.ModelDirectory : Path.Combine(AppContext.BaseDirectory, _options.ModelDirectory);
            if (!File.Exists(Path.Combine(directory, ModelCheckpoint.ConfigFile))) throw new InvalidOperationException($"No model at {directory} (Federation:ModelDirectory).");
            var device = _options.Device switch
            {
                "cuda" => torch.CUDA,
                "cpu" => torch.CPU,
                _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
            };
            var (model, _) = ModelCheckpoint.Load(directory, new CheckpointLoadOptions { Device = device });
            model.eval();
            _loaded = (model, new SplitBlocks(model.LanguageModel), ModelCheckpoint.VersionOf(directory));
            logger.LogInformation("Federation base model {Version} loaded on {Device}", _loaded.Value.Version, device.type);
            return _loaded.Value;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_loaded is { } loaded)
        {
            loaded.Blocks.Dispose();
            loaded.Model.Dispose();
        }
    }
}
