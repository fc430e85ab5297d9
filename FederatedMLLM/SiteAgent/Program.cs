// fednano-site: wiring only; the agent's logic is FedNano.FederatedMLLM.Protocol.SiteAgent.
using FedNano.FederatedMLLM.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;

var configuration = new ConfigurationBuilder()
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "fednano-site.json"), optional: true)
    .AddJsonFile("fednano-site.json", optional: true)
    .AddEnvironmentVariables("FEDNANO_SITE_")
    .AddCommandLine(args)
    .Build();
var options = configuration.Get<SiteAgentOptions>() ?? new SiteAgentOptions();
try
{
    options.Validate();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"fednano-site: {e.Message}");
    return 2;
}

// Plain http means h2c (HTTP/2 without TLS, for loopback simulations); https negotiates HTTP/2 by ALPN.
using var channel = GrpcChannel.ForAddress(options.ServerUrl, new GrpcChannelOptions { MaxReceiveMessageSize = 256 << 20, MaxSendMessageSize = 256 << 20 });
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    var rounds = await new SiteAgent(options).RunAsync(channel, line => Console.Error.WriteLine(line), p =>
    {
        if (p.Step % 5 == 0 || p.Step == p.Steps)
        {
            int filled = (int)Math.Round(20.0 * p.Step / p.Steps);
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 20 - filled)}] step {p.Step}/{p.Steps}, loss {p.Loss:F3}   ");
            if (p.Step == p.Steps) Console.Error.WriteLine();
        }
    }, cancel.Token);
    Console.WriteLine($"{rounds.Count} rounds trained; adapters and metrics in {Path.GetFullPath(options.OutputDirectory)}");
    return 0;
}
catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
{
    Console.Error.WriteLine($"fednano-site: the server refused this site: {e.Status.Detail}");
    return 3;
}
catch (RpcException e)
{
    Console.Error.WriteLine($"fednano-site: {e.Status.StatusCode}: {e.Status.Detail}");
    return 1;
}
catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or FileNotFoundException or FormatException)
{
    Console.Error.WriteLine($"fednano-site: the site data cannot be used: {e.Message}");
    return 2;
}
catch (PacsException e)
{
    Console.Error.WriteLine($"fednano-site: the site's PACS cannot be read: {e.Message}");
    return 4;
}
catch (FederationMismatchException e)
{
    Console.Error.WriteLine($"fednano-site: this site's settings do not match the federation: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    return 130;
}
