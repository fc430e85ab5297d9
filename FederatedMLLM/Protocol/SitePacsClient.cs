using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FedNano.Dicom;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>
/// The few DICOMweb (PS3.18) calls a site needs from its own PACS: QIDO-RS series search with limit/offset paging, and
/// WADO-RS retrieval of a series read part by part. Transient failures (no connection, timeout, 5xx) are retried.
/// </summary>
public sealed class SitePacsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SitePacsOptions _options;
    private readonly string _base;

    /// <summary>A client for <paramref name="options"/>; <paramref name="handler"/> replaces the default transport (tests, proxies).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SitePacsClient(SitePacsOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _base = options.BaseUrl.TrimEnd('/');
        // Timeouts are per request below, so the client's own stays off.
        _http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>QIDO-RS <c>/series</c> with <paramref name="match"/> (attribute keyword → value), every page.</summary>
    /// <param name="match">Matching keys, e.g. Modality=CT.</param>
    /// <param name="includeFields">Extra attributes to return (keywords).</param>
    /// <param name="max">Stop after this many results (0: all).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="PacsException">The PACS failed or answered with something other than a DICOM JSON array.</exception>
    public async Task<IReadOnlyList<DicomDataset>> SearchSeriesAsync(IReadOnlyDictionary<string, string> match, IEnumerable<string> includeFields, int max = 0, CancellationToken cancellationToken = default)
    {
        var found = new List<DicomDataset>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var query = new StringBuilder();
        foreach (var (key, value) in match) query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        foreach (var field in includeFields) query.Append("includefield=").Append(Uri.EscapeDataString(field)).Append('&');
        for (int offset = 0; ; offset += _options.PageSize)
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"{_base}/series?{query}limit={_options.PageSize}&offset={offset}");
            var page = await SendAsync(url, DicomWebMediaTypes.ApplicationDicomJson, ReadSearchAsync, cancellationToken).ConfigureAwait(false);
            int added = 0;
            foreach (var ds in page)
            {
                // A server that ignores offset repeats its first page; a repeated series ends the paging.
                if (ds.GetString(DicomTags.SeriesInstanceUID) is not { } uid || !seen.Add(uid)) continue;
                found.Add(ds);
                added++;
                if (max > 0 && found.Count == max) return found;
            }
            if (page.Count < _options.PageSize || added == 0) return found;
        }
    }

    /// <summary>WADO-RS: the instances of one series, as stored (Part 10 parsed).</summary>
    /// <exception cref="PacsException">The PACS failed, cut the body off, or sent something other than multipart/related DICOM.</exception>
    public Task<IReadOnlyList<DicomDataset>> RetrieveSeriesAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        ArgumentException.ThrowIfNullOrWhiteSpace(seriesInstanceUid);
        var url = $"{_base}/studies/{Uri.EscapeDataString(studyInstanceUid)}/series/{Uri.EscapeDataString(seriesInstanceUid)}";
        // transfer-syntax=* takes the instances as stored: the codec reads any syntax the images were archived in.
        var accept = $"{DicomWebMediaTypes.MultipartRelated}; type=\"{DicomWebMediaTypes.ApplicationDicom}\"; transfer-syntax=*";
        return SendAsync(url, accept, ReadInstancesAsync, cancellationToken);
    }

    /// <summary>Disposes the HTTP client (and the transport it owns).</summary>
    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(string url, string accept, Func<HttpResponseMessage, string, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                Authenticate(request);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500 && attempt < _options.Retries)
                {
                    await Task.Delay(RetryDelay(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                    throw new PacsException($"GET {url}: {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text[..Math.Min(text.Length, 300)] : "")}", response.StatusCode);
                }
                return await read(response, url, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException and not PacsException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt < _options.Retries) { await Task.Delay(RetryDelay(attempt), cancellationToken).ConfigureAwait(false); continue; }
                var what = e is OperationCanceledException ? $"no answer within {_options.TimeoutSeconds} s" : e.Message;
                throw new PacsException($"GET {url}: {what} (after {attempt + 1} attempts)", null, e);
            }
        }
    }

    private static TimeSpan RetryDelay(int attempt) => TimeSpan.FromSeconds(Math.Min(30, 1 << attempt));

    private static async Task<IReadOnlyList<DicomDataset>> ReadSearchAsync(HttpResponseMessage response, string url, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent) return [];
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return DicomJsonReader.DeserializeArray(text);
        }
        catch (Exception e) when (e is DicomDataException or System.Text.Json.JsonException or FormatException)
        {
            throw new PacsException($"GET {url}: the QIDO-RS answer is not a DICOM JSON array ({e.Message})", response.StatusCode, e);
        }
    }

    private static async Task<IReadOnlyList<DicomDataset>> ReadInstancesAsync(HttpResponseMessage response, string url, CancellationToken cancellationToken)
    {
        var contentType = response.Content.Headers.ContentType?.ToString();
        string boundary;
        try
        {
            boundary = MultipartRelatedReader.GetBoundary(MediaTypeValue.Parse(contentType ?? ""));
        }
        catch (Exception e) when (e is MultipartFormatException or FormatException)
        {
            throw new PacsException($"GET {url}: the WADO-RS answer is not multipart/related ('{contentType}'): {e.Message}", response.StatusCode, e);
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var reader = new MultipartRelatedReader(body, boundary);
        var instances = new List<DicomDataset>();
        try
        {
            while (await reader.ReadNextPartAsync(cancellationToken).ConfigureAwait(false) is { } part)
            {
                using var buffer = new MemoryStream();
                await part.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                buffer.Position = 0;
                try
                {
                    instances.Add(DicomFile.Read(buffer).Dataset);
                }
                catch (Exception e) when (e is DicomFormatException or DicomDataException or EndOfStreamException)
                {
                    throw new PacsException($"GET {url}: part {part.Index + 1} is not a readable DICOM instance ({e.Message})", response.StatusCode, e);
                }
            }
        }
        catch (MultipartFormatException e)
        {
            throw new PacsException($"GET {url}: the WADO-RS body is malformed or cut off ({e.Message})", response.StatusCode, e);
        }
        return instances;
    }

    private void Authenticate(HttpRequestMessage request)
    {
        switch (_options.Authentication)
        {
            case PacsAuthentication.Basic:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.UserName}:{_options.Password}")));
                break;
            case PacsAuthentication.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BearerToken);
                break;
            case PacsAuthentication.ApiKey:
                request.Headers.TryAddWithoutValidation(_options.ApiKeyHeader, _options.ApiKey);
                break;
        }
    }
}
