using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace FedNano.DicomService.Federation;

/// <summary>
/// Refuses every federation call without a valid, unrevoked site credential ("authorization: Bearer &lt;credential&gt;")
/// with UNAUTHENTICATED and the reason, and audits the refusal (the same peer and reason at most once a minute, so a
/// client retrying a bad credential cannot flood the log); an accepted call carries its site id in
/// <see cref="ServerCallContext.UserState"/>.
/// </summary>
public sealed class SiteAuthentication(SiteRegistry registry, FederationCoordinator coordinator, TimeProvider clock, ILogger<SiteAuthentication> logger) : Interceptor
{
    private static readonly TimeSpan AuditInterval = TimeSpan.FromMinutes(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastAudited = new();

    /// <summary>Key of the authenticated site id in the call's user state.</summary>
    public const string SiteKey = "fednano-site";

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var header = context.RequestHeaders.GetValue("authorization");
        var credential = header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        var (site, reason) = registry.Authenticate(credential);
        if (site is null)
        {
            logger.LogWarning("Federation call {Method} from {Peer} refused: {Reason}", context.Method, context.Peer, reason);
            var now = clock.GetUtcNow();
            var key = context.Peer + "|" + reason;
            if (!_lastAudited.TryGetValue(key, out var last) || now - last >= AuditInterval)
            {
                _lastAudited[key] = now;
                if (_lastAudited.Count > 10_000) _lastAudited.Clear(); // bounded memory under a scan of many peers
                var claimed = credential?.Split('.')[0] is { } id ? id[..Math.Min(id.Length, 64)] : null;
                coordinator.Audit.Write("authentication-refused", string.IsNullOrEmpty(claimed) ? null : claimed, detail: $"{context.Method} from {context.Peer}: {reason}");
            }
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"Site authentication failed: {reason}."));
        }
        context.UserState[SiteKey] = site;
        return continuation(request, context);
    }

    /// <summary>The authenticated site of <paramref name="context"/>.</summary>
    public static string SiteOf(ServerCallContext context) => (string)context.UserState[SiteKey];
}
