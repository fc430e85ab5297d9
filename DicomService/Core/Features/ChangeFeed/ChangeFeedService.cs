using FedNano.DicomService.Core.Storage;

namespace FedNano.DicomService.Core.Features.ChangeFeed;

/// <summary>The change feed: create and delete events with a monotonic sequence, read from the index.</summary>
public sealed class ChangeFeedService(IIndexStore index) : IChangeFeedService
{
    /// <summary>Most events returned by one read.</summary>
    public const int MaxLimit = 10000;

    /// <inheritdoc />
    public Task<IReadOnlyList<ChangeFeedEntry>> ReadAsync(long offset, int limit, CancellationToken cancellationToken)
    {
        if (offset < 0) throw new InvalidRequestException($"Change feed offset {offset} is invalid: it must be 0 or more.");
        if (limit < 1) throw new InvalidRequestException($"Change feed limit {limit} is invalid: it must be at least 1.");
        return index.ReadChangeFeedAsync(offset, Math.Min(limit, MaxLimit), cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken) => index.GetLatestSequenceAsync(cancellationToken);
}
