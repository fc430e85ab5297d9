using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace FedNano.DicomService.Federation;

/// <summary>
/// Refuses every federation call without a valid, unrevoked site credential ("authorization: Bearer &lt;credential&gt;")
/// with UNAUTHENTICATED and the reason; an accepted call carries its site id in <see cref="ServerCallContext.UserState"/>.
/// </summary>
public sealed class SiteAuthentication(SiteRegistry registry, ILogger<SiteAuthentication> logger) : Interceptor
{
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
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"Site authentication failed: {reason}."));
        }
        context.UserState[SiteKey] = site;
        return continuation(request, context);
    }

    /// <summary>The authenticated site of <paramref name="context"/>.</summary>
    public static string SiteOf(ServerCallContext context) => (string)context.UserState[SiteKey];
}
