using FedNano.Testing;

namespace FedNano.PacsBridge.Tests;

/// <summary>Our service (automatic reconstruction on, as shipped) as a real process, and where Orthanc is installed.</summary>
public sealed class BridgeFixture : IAsyncLifetime
{
    /// <summary>Settings for our service in these tests: fast completeness check; the rules ask for SSR-FBP so jobs take seconds.</summary>
    public static readonly string[] ServiceSettings = ["--Reconstruction:CompleteSeriesQuietPeriodSeconds=1", "--Reconstruction:PollIntervalMilliseconds=100", "--Reconstruction:Device=cpu"];

    /// <summary>Our service.</summary>
    public ServerProcess Service { get; private set; } = null!;

    /// <summary>Orthanc's binary and DICOMweb plugin, or null (<see cref="MissingReason"/>).</summary>
    public (string Executable, string Plugin)? Orthanc { get; private set; }

    /// <summary>Why Orthanc is missing.</summary>
    public string MissingReason { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Service = await ServerProcess.StartAsync(settings: ServiceSettings);
        var exe = OrthancProcess.FindExecutable(out var exeReason);
        var plugin = OrthancProcess.FindPlugin(out var pluginReason);
        if (exe is null || plugin is null)
        {
            MissingReason = exe is null ? exeReason : pluginReason;
            return;
        }
        Orthanc = (exe, plugin);
    }

    /// <summary>A fresh Orthanc requiring Basic credentials (one per test, so series of other tests are not in its PACS).</summary>
    public Task<OrthancProcess> StartOrthancAsync() => OrthancProcess.StartAsync(Orthanc!.Value.Executable, Orthanc.Value.Plugin, Service.DicomWebRoot, PeersFixture.OrthancUser);

    /// <summary>DICOMweb settings for <paramref name="orthanc"/>.</summary>
    public static DicomWebClientOptions DicomWeb(OrthancProcess orthanc) => new()
    {
        BaseUrl = orthanc.DicomWebRoot, Authentication = DicomWebAuthentication.Basic,
        UserName = PeersFixture.OrthancUser.User, Password = PeersFixture.OrthancUser.Password, TimeoutSeconds = 60,
    };

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
    }
}
