using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using FedNano.Dicom;

namespace FedNano.PacsBridge;

/// <summary>
/// A DICOMweb client (PS3.18): QIDO-RS searches, WADO-RS retrieval parsed part by part as the response streams in, and
/// STOW-RS with the request body written part by part as it is sent. Works against any conformant server (Orthanc's
/// DICOMweb plugin, the FedNano service, a hospital PACS); errors become <see cref="DicomWebException"/>s that say
/// whether a retry can help.
/// </summary>
public sealed class DicomWebClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _base;

    private readonly TlsSettings? _tls;

    /// <summary>Creates a client that owns its own <see cref="HttpClient"/> (disposed with it), with the TLS settings of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DicomWebClient(DicomWebClientOptions options)
        : this(TlsSettings.Load(options ?? throw new ArgumentNullException(nameof(options))), options)
    {
    }

    private DicomWebClient(TlsSettings tls, DicomWebClientOptions options)
        : this(new HttpClient(tls.CreateHandler()), options, ownsHttpClient: true)
    {
        _tls = tls;
    }

    /// <summary>Creates a client over <paramref name="http"/> (e.g. one from a test server or an <c>IHttpClientFactory</c>).</summary>
    /// <param name="http">The transport; its own BaseAddress is ignored.</param>
    /// <param name="options">Base URL, credentials and timeout.</param>
    /// <param name="ownsHttpClient">Dispose <paramref name="http"/> with this client.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DicomWebClient(HttpClient http, DicomWebClientOptions options, bool ownsHttpClient = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _ownsHttp = ownsHttpClient;
        if (ownsHttpClient) _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // per-request timeouts below, so long streams are not cut off
        Options = options;
        _base = options.BaseUrl.TrimEnd('/');
    }

    /// <summary>The settings this client uses.</summary>
    public DicomWebClientOptions Options { get; }

    /// <summary>QIDO-RS: studies matching <paramref name="query"/> (attribute keywords or tags, plus limit, offset, includefield, fuzzymatching).</summary>
    public Task<IReadOnlyList<DicomDataset>> SearchStudiesAsync(IEnumerable<KeyValuePair<string, string>>? query = null, CancellationToken cancellationToken = default) =>
        SearchAsync("studies", query, cancellationToken);

    /// <summary>QIDO-RS: series of one study, or of all studies when <paramref name="studyInstanceUid"/> is null.</summary>
    public Task<IReadOnlyList<DicomDataset>> SearchSeriesAsync(string? studyInstanceUid, IEnumerable<KeyValuePair<string, string>>? query = null,
        CancellationToken cancellationToken = default) =>
        SearchAsync(studyInstanceUid is null ? "series" : $"studies/{Uid(studyInstanceUid)}/series", query, cancellationToken);

    /// <summary>QIDO-RS: instances of one series, one study, or all.</summary>
    public Task<IReadOnlyList<DicomDataset>> SearchInstancesAsync(string? studyInstanceUid, string? seriesInstanceUid,
        IEnumerable<KeyValuePair<string, string>>? query = null, CancellationToken cancellationToken = default)
    {
        if (seriesInstanceUid is not null && studyInstanceUid is null)
            throw new ArgumentException("A series is searched within its study; give the Study Instance UID too.", nameof(studyInstanceUid));
        string path = studyInstanceUid is null ? "instances"
            : seriesInstanceUid is null ? $"studies/{Uid(studyInstanceUid)}/instances"
            : $"studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}/instances";
        return SearchAsync(path, query, cancellationToken);
    }

    /// <summary>WADO-RS metadata of a series (DICOM JSON, bulk data as URIs).</summary>
    public async Task<IReadOnlyList<DicomDataset>> RetrieveSeriesMetadataAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_base}/studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}/metadata");
        request.Headers.Accept.ParseAdd(DicomWebMediaTypes.ApplicationDicomJson);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "metadata retrieval", cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return DicomJsonReader.DeserializeArray(body);
    }

    /// <summary>WADO-RS metadata of one instance (DICOM JSON; large and private values may come as bulk data URIs).</summary>
    public async Task<DicomDataset> RetrieveInstanceMetadataAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_base}/studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}/instances/{Uid(sopInstanceUid)}/metadata");
        request.Headers.Accept.ParseAdd(DicomWebMediaTypes.ApplicationDicomJson);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "metadata retrieval", cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var all = DicomJsonReader.DeserializeArray(body);
        return all.Count == 1 ? all[0] : throw new DicomWebException($"Instance metadata came as {all.Count} datasets, not one.", response.StatusCode);
    }

    /// <summary>
    /// WADO-RS: the instances of a study, a series or one instance, as Part 10 bytes, each yielded as soon as its part
    /// has arrived (memory holds one instance at a time).
    /// </summary>
    /// <param name="studyInstanceUid">The study.</param>
    /// <param name="seriesInstanceUid">A series of it, or null for the whole study.</param>
    /// <param name="sopInstanceUid">One instance of the series, or null for all.</param>
    /// <param name="transferSyntax">The transfer-syntax parameter to ask for (<c>*</c>: as stored); null asks for the standard default, Explicit VR Little Endian.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="DicomWebException">An error status, or a body that is not multipart/related DICOM.</exception>
    public async IAsyncEnumerable<byte[]> RetrieveAsync(string studyInstanceUid, string? seriesInstanceUid = null, string? sopInstanceUid = null,
        string? transferSyntax = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (sopInstanceUid is not null && seriesInstanceUid is null)
            throw new ArgumentException("An instance is retrieved within its series; give the Series Instance UID too.", nameof(seriesInstanceUid));
        var path = new StringBuilder($"{_base}/studies/{Uid(studyInstanceUid)}");
        if (seriesInstanceUid is not null) path.Append("/series/").Append(Uid(seriesInstanceUid));
        if (sopInstanceUid is not null) path.Append("/instances/").Append(Uid(sopInstanceUid));
        using var request = new HttpRequestMessage(HttpMethod.Get, path.ToString());
        var accept = DicomWebMediaTypes.MultipartRelated + "; type=\"" + DicomWebMediaTypes.ApplicationDicom + "\"" + (transferSyntax is null ? "" : "; transfer-syntax=" + transferSyntax);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "retrieval", cancellationToken).ConfigureAwait(false);
        var contentType = response.Content.Headers.ContentType?.ToString()
            ?? throw new DicomWebException("The WADO-RS response has no Content-Type.", response.StatusCode);
        string boundary;
        try
        {
            boundary = MultipartRelatedReader.GetBoundary(contentType);
        }
        catch (MultipartFormatException e)
        {
            throw new DicomWebException($"The WADO-RS response is not multipart/related ('{contentType}'): {e.Message}", response.StatusCode, inner: e);
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var reader = new MultipartRelatedReader(new IdleTimeoutStream(body, Timeout), boundary);
        while (true)
        {
            MultipartPart? part;
            byte[] bytes;
            try
            {
                part = await reader.ReadNextPartAsync(cancellationToken).ConfigureAwait(false);
                if (part is null) yield break;
                using var buffer = new MemoryStream();
                await part.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
            catch (MultipartFormatException e)
            {
                // Most often a body cut off with the connection (the server stopped mid-stream): worth a retry.
                throw new DicomWebException($"The WADO-RS response body is malformed or cut off: {e.Message}", response.StatusCode, inner: e, transient: true);
            }
            catch (IOException e)
            {
                throw new DicomWebException($"The WADO-RS response broke off: {e.Message}", null, inner: e);
            }
            yield return bytes;
        }
    }

    /// <summary>WADO-RS rendered: one instance as a consumer image (e.g. image/png, image/jpeg), with optional query parameters (window, quality, viewport).</summary>
    /// <exception cref="DicomWebException">An error status.</exception>
    public async Task<byte[]> RetrieveRenderedAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string mediaType = "image/png",
        string? query = null, CancellationToken cancellationToken = default)
    {
        var url = $"{_base}/studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}/instances/{Uid(sopInstanceUid)}/rendered{(query is null ? "" : "?" + query)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(mediaType);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "rendered retrieval", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// STOW-RS: stores Part 10 instances (to a study when <paramref name="studyInstanceUid"/> is given). The body is
    /// written part by part while it is sent; its length is declared up front when every part's length is known, so
    /// servers that refuse chunked uploads accept it.
    /// </summary>
    /// <param name="instances">Part 10 files: byte arrays or streams (read from their position; seekable ones give a known length).</param>
    /// <param name="studyInstanceUid">Store into this study only (the server refuses instances of another).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What the server stored and refused (200, 202 or 409).</returns>
    /// <exception cref="DicomWebException">Any other status, or a response that is not a DICOM JSON STOW response.</exception>
    public async Task<StowResult> StoreAsync(IReadOnlyList<StowPart> instances, string? studyInstanceUid = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0) throw new ArgumentException("Nothing to store.", nameof(instances));
        string url = studyInstanceUid is null ? $"{_base}/studies" : $"{_base}/studies/{Uid(studyInstanceUid)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StowContent(instances) };
        request.Headers.Accept.ParseAdd(DicomWebMediaTypes.ApplicationDicomJson);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (status is not (200 or 202 or 409))
            await EnsureSuccessAsync(response, "store", cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (status == 200) return new StowResult(status, [], [], null);
            throw new DicomWebException($"The STOW-RS response ({status}) has no body to say what was stored.", response.StatusCode);
        }
        DicomDataset ds;
        try
        {
            ds = DicomJsonReader.Deserialize(text);
        }
        catch (Exception e) when (e is DicomDataException or System.Text.Json.JsonException or FormatException)
        {
            throw new DicomWebException($"The STOW-RS response ({status}) is not DICOM JSON: {e.Message}", response.StatusCode, Head(text), e);
        }
        var stored = ds.GetSequenceItems(DicomTags.ReferencedSOPSequence).Select(i => i.GetString(DicomTags.ReferencedSOPInstanceUID) ?? "").ToList();
        var failed = ds.GetSequenceItems(DicomTags.FailedSOPSequence)
            .Select(i => (i.GetString(DicomTags.ReferencedSOPInstanceUID) ?? "", i.TryGetValue<int>(DicomTags.FailureReason, out var r) ? r : 0xC000)).ToList();
        return new StowResult(status, stored, failed, ds.GetString(DicomTags.RetrieveURL));
    }

    /// <summary>Disposes the owned HTTP client.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(Options.TimeoutSeconds);

    private async Task<IReadOnlyList<DicomDataset>> SearchAsync(string path, IEnumerable<KeyValuePair<string, string>>? query, CancellationToken cancellationToken)
    {
        var url = new StringBuilder(_base).Append('/').Append(path);
        if (query is not null)
        {
            char sep = '?';
            foreach (var (key, value) in query)
            {
                url.Append(sep).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
                sep = '&';
            }
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url.ToString());
        request.Headers.Accept.ParseAdd(DicomWebMediaTypes.ApplicationDicomJson);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent) return [];
        await EnsureSuccessAsync(response, "search", cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return DicomJsonReader.DeserializeArray(text);
        }
        catch (Exception e) when (e is DicomDataException or System.Text.Json.JsonException or FormatException)
        {
            throw new DicomWebException($"The QIDO-RS response is not a DICOM JSON array: {e.Message}", response.StatusCode, Head(text), e);
        }
    }

    /// <summary>Sends with credentials; a response whose headers do not arrive within the timeout, or a refused connection, is a transient error.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authenticate(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomWebException($"{request.Method} {request.RequestUri} got no response within {Options.TimeoutSeconds:G} s.");
        }
        catch (HttpRequestException e)
        {
            throw new DicomWebException($"{request.Method} {request.RequestUri} failed: {_tls?.Describe(e) ?? e.Message}", inner: e);
        }
    }

    private void Authenticate(HttpRequestMessage request)
    {
        switch (Options.Authentication)
        {
            case DicomWebAuthentication.Basic:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.UserName}:{Options.Password}")));
                break;
            case DicomWebAuthentication.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.BearerToken);
                break;
            case DicomWebAuthentication.ApiKey:
                request.Headers.TryAddWithoutValidation(Options.ApiKeyHeader, Options.ApiKey);
                break;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        string body = "";
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
        }
        var request = response.RequestMessage;
        throw new DicomWebException($"DICOMweb {what} {request?.Method} {request?.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? ": " + Head(body) : "")}",
            response.StatusCode, Head(body));
    }

    private static string Head(string text) => text.Length <= 500 ? text : text[..500] + "…";

    private static string Uid(string uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        if (DicomUid.Validate(uid) is { } problem) throw new ArgumentException($"'{uid}' is not a valid UID: {problem}.", nameof(uid));
        return uid;
    }
}
