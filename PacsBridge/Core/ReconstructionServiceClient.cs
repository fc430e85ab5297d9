using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FedNano.PacsBridge;

/// <summary>
/// Client of the FedNano service's reconstruction jobs API (<c>/api/reconstructions</c>): create a job for a stored raw
/// series, follow it, cancel or retry it. Uses the credentials of <see cref="DicomWebClientOptions"/>; its base URL is
/// the service root (the DICOMweb base without <c>/dicomweb</c>).
/// </summary>
public sealed class ReconstructionServiceClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly DicomWebClientOptions _options;
    private readonly string _base;

    /// <summary>Creates a client over <paramref name="http"/>.</summary>
    /// <param name="http">Transport.</param>
    /// <param name="options">Service root URL (e.g. http://127.0.0.1:5080), credentials, timeout.</param>
    /// <param name="ownsHttpClient">Dispose <paramref name="http"/> with this client.</param>
    public ReconstructionServiceClient(HttpClient http, DicomWebClientOptions options, bool ownsHttpClient = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _ownsHttp = ownsHttpClient;
        _options = options;
        _base = options.BaseUrl.TrimEnd('/');
    }

    private readonly TlsSettings? _tls;

    /// <summary>Creates a client with its own HTTP client, with the TLS settings of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ReconstructionServiceClient(DicomWebClientOptions options)
        : this(TlsSettings.Load(options ?? throw new ArgumentNullException(nameof(options))), options)
    {
    }

    private ReconstructionServiceClient(TlsSettings tls, DicomWebClientOptions options)
        : this(new HttpClient(tls.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan }, options, true)
    {
        _tls = tls;
    }

    /// <summary>Queues a reconstruction; 202 gives the job.</summary>
    /// <exception cref="DicomWebException">400 (bad request), 404 (series not stored), 422 (not projection data), or the service is unreachable.</exception>
    public async Task<ReconstructionJobInfo> CreateAsync(ReconstructionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{_base}/api/reconstructions")
        {
            Content = JsonContent.Create(request, options: new JsonSerializerOptions(Json) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }),
        };
        return await SendForJobAsync(message, "create job", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One job.</summary>
    public Task<ReconstructionJobInfo> GetAsync(string id, CancellationToken cancellationToken = default) =>
        SendForJobAsync(new HttpRequestMessage(HttpMethod.Get, $"{_base}/api/reconstructions/{Uri.EscapeDataString(id)}"), "get job", cancellationToken);

    /// <summary>Jobs of one raw series, newest first.</summary>
    public async Task<IReadOnlyList<ReconstructionJobInfo>> ListForSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"{_base}/api/reconstructions?series={Uri.EscapeDataString(seriesInstanceUid)}");
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, "list jobs", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<ReconstructionJobInfo[]>(Json, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>Cancels a queued or running job.</summary>
    public Task<ReconstructionJobInfo> CancelAsync(string id, CancellationToken cancellationToken = default) =>
        SendForJobAsync(new HttpRequestMessage(HttpMethod.Post, $"{_base}/api/reconstructions/{Uri.EscapeDataString(id)}/cancel"), "cancel job", cancellationToken);

    /// <summary>Queues a failed or cancelled job again.</summary>
    public Task<ReconstructionJobInfo> RetryAsync(string id, CancellationToken cancellationToken = default) =>
        SendForJobAsync(new HttpRequestMessage(HttpMethod.Post, $"{_base}/api/reconstructions/{Uri.EscapeDataString(id)}/retry"), "retry job", cancellationToken);

    /// <summary>Polls a job until it is final, reporting each state seen.</summary>
    /// <param name="id">The job.</param>
    /// <param name="pollInterval">Time between polls.</param>
    /// <param name="progress">Receives every state polled.</param>
    /// <param name="cancellationToken">Stops waiting (the job goes on).</param>
    public async Task<ReconstructionJobInfo> WaitAsync(string id, TimeSpan pollInterval, IProgress<ReconstructionJobInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var job = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            progress?.Report(job);
            if (job.IsFinal) return job;
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the owned HTTP client.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<ReconstructionJobInfo> SendForJobAsync(HttpRequestMessage message, string what, CancellationToken cancellationToken)
    {
        using (message)
        {
            using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
            await EnsureAsync(response, what, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync<ReconstructionJobInfo>(Json, cancellationToken).ConfigureAwait(false)
                ?? throw new DicomWebException($"The service's answer to {what} is empty.", response.StatusCode);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        switch (_options.Authentication)
        {
            case DicomWebAuthentication.Basic:
                message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.UserName}:{_options.Password}")));
                break;
            case DicomWebAuthentication.Bearer:
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BearerToken);
                break;
            case DicomWebAuthentication.ApiKey:
                message.Headers.TryAddWithoutValidation(_options.ApiKeyHeader, _options.ApiKey);
                break;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            return await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomWebException($"{message.Method} {message.RequestUri} got no response within {_options.TimeoutSeconds:G} s.");
        }
        catch (HttpRequestException e)
        {
            throw new DicomWebException($"{message.Method} {message.RequestUri} failed: {_tls?.Describe(e) ?? e.Message}", inner: e);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        string detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(detail);
            if (doc.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { } text) detail = text;
        }
        catch (JsonException)
        {
        }
        throw new DicomWebException($"FedNano {what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}", response.StatusCode, detail);
    }
}
