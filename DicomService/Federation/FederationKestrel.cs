using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FedNano.DicomService.Federation;

/// <summary>
/// A plain-http HTTP/2 (h2c) endpoint for the federation's gRPC beside the service's own URLs. gRPC needs HTTP/2; over
/// https it is negotiated by ALPN on the usual endpoint, but cleartext HTTP/2 needs an endpoint that speaks only
/// HTTP/2 — for loopback simulations and sites behind a TLS-terminating proxy. Because listening explicitly replaces
/// the <c>Urls</c> binding, those URLs are bound here too, exactly as given.
/// </summary>
public static class FederationKestrel
{
    /// <summary>Binds <paramref name="urls"/> (';'-separated, as <c>Urls</c>/<c>--urls</c>) and the h2c endpoint <paramref name="grpcUrl"/>.</summary>
    /// <exception cref="ArgumentException">The gRPC URL is not http, or a URL cannot be parsed.</exception>
    public static void Configure(KestrelServerOptions kestrel, string urls, string grpcUrl)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var grpc = BindingAddress.Parse(grpcUrl);
        if (grpc.Scheme != "http") throw new ArgumentException($"Federation:GrpcUrl '{grpcUrl}' must be http:// (cleartext HTTP/2); https gRPC is served on the service's own https URL.");
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = BindingAddress.Parse(url);
            Listen(kestrel, address, o =>
            {
                if (address.Scheme == "https") o.UseHttps();
            });
        }
        Listen(kestrel, grpc, o => o.Protocols = HttpProtocols.Http2);
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress address, Action<ListenOptions> configure)
    {
        if (address.Host is "*" or "+" or "0.0.0.0" or "[::]") kestrel.ListenAnyIP(address.Port, configure);
        else if (address.Host == "localhost") kestrel.ListenLocalhost(address.Port, configure);
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip)) kestrel.Listen(ip, address.Port, configure);
        else throw new ArgumentException($"Cannot listen on '{address}': use an IP address, localhost or *.");
    }
}
