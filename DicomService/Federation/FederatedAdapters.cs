using FedNano.FederatedMLLM.Federation;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Federation;

/// <summary>The federation's adapters for question answering: the latest global set, or a site's last contribution.</summary>
public sealed class FederatedAdapters(FederationCoordinator coordinator, IOptions<FederationOptions> options, FederationPaths paths) : IAdapterSource
{
    /// <inheritdoc />
    public (AdapterSet Adapters, string Version, double Alpha, int ImageTokenPooling)? Find(string selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var o = options.Value;
        // No federation has run here: answer with the base model without creating federation state.
        if (coordinator.Existing is null && !File.Exists(paths.Resolve(o.SnapshotFile)))
            return selection == "global" ? null : throw new KeyNotFoundException($"No federation has run, so site '{selection}' has no adapters.");
        var rounds = coordinator.Get();
        if (selection == "global")
        {
            var (global, version) = rounds.Global;
            return version == "v0" ? null : (global, $"global@{version}", o.Adapters.Alpha, o.Adapters.ImageTokenPooling);
        }
        return rounds.SiteAdapters(selection) is { } site
            ? (site.Adapters, $"site:{selection}@r{site.Round}", o.Adapters.Alpha, o.Adapters.ImageTokenPooling)
            : throw new KeyNotFoundException($"Site '{selection}' has contributed no adapters to an aggregated round.");
    }
}
