namespace FedNano.FederatedMLLM.Federation;

/// <summary>Adapters the hosted model can answer with: the latest global ones, or those a site last contributed.</summary>
public interface IAdapterSource
{
    /// <summary>
    /// The adapters for <paramref name="selection"/> ("global", or a site id), their version label, α and visual-token pooling; null when
    /// there are none yet (no aggregated round, or no accepted update from that site).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The selection names no known site.</exception>
    (AdapterSet Adapters, string Version, double Alpha, int ImageTokenPooling)? Find(string selection);
}
