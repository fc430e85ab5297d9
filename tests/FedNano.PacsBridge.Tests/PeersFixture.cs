using FedNano.Testing;

namespace FedNano.PacsBridge.Tests;

/// <summary>Our service as a process (open, and a second one requiring a bearer token) and an Orthanc requiring Basic credentials.</summary>
public sealed class PeersFixture : IAsyncLifetime
{
    /// <summary>The Basic credentials Orthanc requires.</summary>
    public static readonly (string User, string Password) OrthancUser = ("bridge", "s3cret-pw");

    /// <summary>The token the second service requires.</summary>
    public const string Token = "bridge-token-0123456789";

    /// <summary>Our service, no authentication.</summary>
    public ServerProcess Service { get; private set; } = null!;

    /// <summary>Our service with Authentication:Mode=Bearer.</summary>
    public ServerProcess SecuredService { get; private set; } = null!;

    /// <summary>Orthanc, or null when not installed (<see cref="MissingReason"/>).</summary>
    public OrthancProcess? Orthanc { get; private set; }

    /// <summary>Why Orthanc is missing.</summary>
    public string MissingReason { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var settings = new[] { "--Reconstruction:AutoReconstruct=false" };
        Service = await ServerProcess.StartAsync(settings: settings);
        SecuredService = await ServerProcess.StartAsync(settings: [.. settings, "--Authentication:Mode=Bearer", $"--Authentication:BearerTokens:0={Token}"]);
        var exe = OrthancProcess.FindExecutable(out var exeReason);
        var plugin = OrthancProcess.FindPlugin(out var pluginReason);
        if (exe is null || plugin is null)
        {
            MissingReason = exe is null ? exeReason : pluginReason;
            return;
        }
        Orthanc = await OrthancProcess.StartAsync(exe, plugin, Service.DicomWebRoot, OrthancUser);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Orthanc is not null) await Orthanc.DisposeAsync();
        if (SecuredService is not null) await SecuredService.DisposeAsync();
        if (Service is not null) await Service.DisposeAsync();
    }
}
