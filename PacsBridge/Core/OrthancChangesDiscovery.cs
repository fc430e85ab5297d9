using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FedNano.PacsBridge;

/// <summary>
/// Discovery through Orthanc's REST change log: <c>StableSeries</c> events after the persisted sequence number, each
/// resolved to its DICOM UIDs. Orthanc has already waited its StableAge, so the candidates are complete.
/// </summary>
public sealed class OrthancChangesDiscovery : ISeriesDiscovery, IDisposable
{
    private const string Watermark = "orthanc-changes-since";
    private readonly HttpClient _http;
    private readonly TlsSettings _tls;
    private readonly BridgeStateStore _state;
    private readonly string _root;

    /// <summary>Creates the discovery for Orthanc at <see cref="DiscoveryOptions.OrthancUrl"/> with the source's credentials and TLS settings.</summary>
    public OrthancChangesDiscovery(DiscoveryOptions options, DicomWebClientOptions credentials, BridgeStateStore state)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        _state = state;
        _tls = TlsSettings.Load(credentials);
        _http = new HttpClient(_tls.CreateHandler()) { Timeout = TimeSpan.FromSeconds(60) };
        _root = options.OrthancUrl!.TrimEnd('/');
        if (credentials.Authentication == DicomWebAuthentication.Basic)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}")));
        else if (credentials.Authentication == DicomWebAuthentication.Bearer)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials.BearerToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SeriesCandidate>> DiscoverAsync(CancellationToken cancellationToken)
    {
        long since = long.TryParse(_state.GetWatermark(Watermark), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var found = new List<SeriesCandidate>();
        while (true)
        {
            using var changes = await GetAsync($"/changes?since={since}&limit=100", cancellationToken).ConfigureAwait(false);
            foreach (var change in changes.RootElement.GetProperty("Changes").EnumerateArray())
            {
                if (change.GetProperty("ChangeType").GetString() != "StableSeries") continue;
                var id = change.GetProperty("ID").GetString()!;
                using var series = await GetAsync($"/series/{id}", cancellationToken).ConfigureAwait(false);
                using var study = await GetAsync($"/studies/{series.RootElement.GetProperty("ParentStudy").GetString()}", cancellationToken).ConfigureAwait(false);
                var tags = series.RootElement.GetProperty("MainDicomTags");
                found.Add(new SeriesCandidate(
                    study.RootElement.GetProperty("MainDicomTags").GetProperty("StudyInstanceUID").GetString()!,
                    tags.GetProperty("SeriesInstanceUID").GetString()!,
                    tags.TryGetProperty("Modality", out var m) ? m.GetString() : null,
                    tags.TryGetProperty("SeriesDescription", out var d) ? d.GetString() : null,
                    series.RootElement.GetProperty("Instances").GetArrayLength(), null, Stable: true));
            }
            since = changes.RootElement.GetProperty("Last").GetInt64();
            _state.SetWatermark(Watermark, since.ToString(CultureInfo.InvariantCulture));
            if (changes.RootElement.GetProperty("Done").GetBoolean()) break;
        }
        return found;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(_root + path, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DicomWebException($"Orthanc GET {path} failed: {_tls.Describe(e)}", inner: e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new DicomWebException($"Orthanc GET {path} answered {(int)response.StatusCode}: {body}", response.StatusCode, body);
            return JsonDocument.Parse(body);
        }
    }
}
