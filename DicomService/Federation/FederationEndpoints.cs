using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FedNano.DicomService.Federation;

/// <summary>The REST view of the federation for operators (Swagger): state, rounds, participants, adapter versions and the audit log.</summary>
public static class FederationEndpoints
{
    /// <summary>Maps <c>/api/federation</c>.</summary>
    public static RouteGroupBuilder MapFederationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/federation").WithTags("Federation");
        group.MapGet("/", (FederationCoordinator coordinator, SiteRegistry registry, Microsoft.Extensions.Options.IOptions<FederationOptions> options) =>
        {
            FedNano.FederatedMLLM.Federation.RoundsCoordinator rounds;
            try { rounds = coordinator.Get(); }
            catch (InvalidOperationException e) { return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Federation unavailable"); }
            var (global, version) = rounds.Global;
            return Results.Ok(new
            {
                aggregator = options.Value.Aggregator,
                globalVersion = version,
                adapterParameters = global.ParameterCount,
                finished = rounds.Finished,
                checkedIn = rounds.CheckedIn,
                sites = registry.Sites.Select(s => new { s.Id, s.DisplayName, s.CreatedUtc, s.RevokedUtc }),
                rounds = rounds.Rounds,
            });
        }).WithName("GetFederation").WithSummary("Federation state: aggregator, global adapter version, sites, rounds with participants, verdicts and losses.");
        group.MapGet("/audit", (FederationCoordinator coordinator, int? limit) =>
        {
            // The log file is written by rounds and by refused authentications alike, before any round exists.
            var events = coordinator.Audit.Read();
            return Results.Ok(events.TakeLast(Math.Clamp(limit ?? 200, 1, 10_000)));
        }).WithName("GetFederationAudit").WithSummary("The latest federation audit events (check-ins, tasks, accepted and rejected updates, round closes, refused authentications).");
        return group;
    }
}
