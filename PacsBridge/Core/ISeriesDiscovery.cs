namespace FedNano.PacsBridge;

/// <summary>Finds series in the source PACS that may be new (the bridge's state decides what is new).</summary>
public interface ISeriesDiscovery
{
    /// <summary>One pass; advances and persists its own watermark.</summary>
    Task<IReadOnlyList<SeriesCandidate>> DiscoverAsync(CancellationToken cancellationToken);
}
