using System.Globalization;
using FedNano.DicomService.Configuration;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Endpoints;

/// <summary>One change feed event as JSON.</summary>
/// <param name="Sequence">Monotonic, gap-free sequence number.</param>
/// <param name="Timestamp">When it happened (UTC, ISO 8601).</param>
/// <param name="Action"><c>create</c> or <c>delete</c>.</param>
/// <param name="StudyInstanceUid">Study Instance UID.</param>
/// <param name="SeriesInstanceUid">Series Instance UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID.</param>
/// <param name="SopClassUid">SOP Class UID.</param>
public sealed record ChangeFeedItem(long Sequence, DateTimeOffset Timestamp, string Action, string StudyInstanceUid, string SeriesInstanceUid,
    string SopInstanceUid, string SopClassUid)
{
    /// <summary>The JSON form of a Core change feed entry.</summary>
    public static ChangeFeedItem From(ChangeFeedEntry entry) => new(entry.Sequence, entry.Timestamp.ToUniversalTime(),
        entry.Action == ChangeFeedAction.Create ? "create" : "delete",
        entry.Key.StudyInstanceUid, entry.Key.SeriesInstanceUid, entry.Key.SopInstanceUid, entry.SopClassUid);
}

/// <summary>The newest change feed position.</summary>
/// <param name="Sequence">The newest sequence number (0 when the feed is empty).</param>
/// <param name="Latest">The newest event, or null when the feed is empty.</param>
public sealed record ChangeFeedLatest(long Sequence, ChangeFeedItem? Latest);

/// <summary>The change feed: <c>GET /changefeed?offset=&amp;limit=</c> and <c>GET /changefeed/latest</c>.</summary>
public static class ChangeFeedEndpoints
{
    /// <summary>Maps the change feed routes on the DICOMweb group.</summary>
    public static void MapChangeFeed(this IEndpointRouteBuilder group)
    {
        group.MapGet("/changefeed", async (HttpContext context, IChangeFeedService feed, IOptions<DicomWebOptions> options) =>
            {
                var o = options.Value;
                var offset = ParseLong(context.Request.Query["offset"].ToString(), "offset", 0, 0, long.MaxValue);
                var limit = (int)ParseLong(context.Request.Query["limit"].ToString(), "limit", o.ChangeFeedDefaultLimit, 1, o.ChangeFeedMaxLimit);
                var entries = await feed.ReadAsync(offset, limit, context.RequestAborted);
                return Results.Ok(entries.Select(ChangeFeedItem.From).ToArray());
            })
            .WithName("ReadChangeFeed")
            .WithSummary("Read the change feed")
            .WithDescription("Create and delete events with sequence > offset, oldest first, at most limit. Follow it by passing the last sequence seen as the next offset.")
            .WithTags("Change feed")
            .WithQueryParameter("offset", "Return events after this sequence number (default 0).", "0")
            .WithQueryParameter("limit", "Most events to return (default from DicomWeb:ChangeFeedDefaultLimit, at most DicomWeb:ChangeFeedMaxLimit).", "100")
            .Produces<ChangeFeedItem[]>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/changefeed/latest", async (HttpContext context, IChangeFeedService feed) =>
            {
                var sequence = await feed.GetLatestSequenceAsync(context.RequestAborted);
                ChangeFeedItem? latest = null;
                if (sequence > 0)
                {
                    var entries = await feed.ReadAsync(sequence - 1, 1, context.RequestAborted);
                    latest = entries.Count > 0 ? ChangeFeedItem.From(entries[0]) : null;
                }
                return Results.Ok(new ChangeFeedLatest(sequence, latest));
            })
            .WithName("LatestChange")
            .WithSummary("The newest change feed sequence number and event")
            .WithTags("Change feed")
            .Produces<ChangeFeedLatest>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static long ParseLong(string text, string name, long fallback, long min, long max)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new InvalidRequestException($"{name}='{text}' is invalid: expected an integer from {min} to {max}.");
        return value;
    }
}
