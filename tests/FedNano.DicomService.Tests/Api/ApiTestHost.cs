using System.Net.Http.Headers;
using FedNano.Dicom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FedNano.DicomService.Tests.Api;

/// <summary>
/// The DICOMweb host in process (WebApplicationFactory) over its own temporary data directory, deleted on dispose.
/// Extra configuration (e.g. authentication) is applied as host settings, so it wins over appsettings.json.
/// </summary>
public sealed class ApiTestHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiTestHost(IDictionary<string, string?>? settings = null)
    {
        DataDirectory = settings is not null && settings.TryGetValue("Storage:DataDirectory", out var given) && given is not null
            ? given
            : Path.Combine(Path.GetTempPath(), "fednano-api-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Storage:FlushToDisk"] = "false",
            ["Storage:MinimumFreeDiskBytes"] = "0",
        };
        if (settings is not null)
            foreach (var (key, value) in settings) _settings[key] = value;
    }

    /// <summary>The temporary data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Leave the data directory behind on dispose (a restart test starts a second host on it).</summary>
    public bool KeepDataDirectory { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || KeepDataDirectory) return;
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A client whose requests go to the in-process server (base address http://localhost/).</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    // ------------------------------------------------------------------ STOW helpers

    /// <summary>POSTs Part 10 files as multipart/related; type="application/dicom" (quoted) to <paramref name="path"/>.</summary>
    public async Task<HttpResponseMessage> StowAsync(HttpClient client, string path, params byte[][] files)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Multipart.DicomContent(files) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomWebMediaTypes.ApplicationDicomJson));
        return await client.SendAsync(request);
    }

    /// <summary>Stores files and asserts 200.</summary>
    public async Task StoreAsync(HttpClient client, params byte[][] files)
    {
        using var response = await StowAsync(client, "/dicomweb/studies", files);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"STOW answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
