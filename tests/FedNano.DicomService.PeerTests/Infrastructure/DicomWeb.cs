using FedNano.Testing;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FedNano.Dicom;

namespace FedNano.DicomService.PeerTests.Infrastructure;

/// <summary>Plain HTTP calls to our DICOMweb server, with bodies built and parsed by our codec's multipart writer and reader.</summary>
public static class DicomWeb
{
    /// <summary>Accept for WADO-RS instances returned as stored (byte for byte what was sent).</summary>
    public const string AsStored = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    /// <summary>One part of a multipart response.</summary>
    public sealed record Part(string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>A response's status, content type and body.</summary>
    public sealed record Reply(HttpStatusCode Status, string? ContentType, byte[] Body, string Headers)
    {
        /// <summary>The body as text.</summary>
        public string Text => Encoding.UTF8.GetString(Body);

        /// <summary>A one-paragraph description for failure messages.</summary>
        public override string ToString() => $"{(int)Status} {Status}; Content-Type: {ContentType}\n{Headers}\n{(Text.Length > 3000 ? Text[..3000] + "…" : Text)}";
    }

    /// <summary>The multipart/related body of application/dicom parts and its Content-Type (type quoted, boundary random).</summary>
    public static (byte[] Body, string ContentType) BuildStowBody(IEnumerable<byte[]> files)
    {
        using var ms = new MemoryStream();
        var writer = new MultipartRelatedWriter(ms, DicomWebMediaTypes.ApplicationDicom);
        foreach (var file in files) writer.WritePartAsync(file, DicomWebMediaTypes.ApplicationDicom).GetAwaiter().GetResult();
        writer.CompleteAsync().GetAwaiter().GetResult();
        return (ms.ToArray(), writer.ContentType);
    }

    /// <summary>STOW-RS: POST studies (or studies/{study}) with the files as one multipart request.</summary>
    public static async Task<Reply> StowAsync(ServerProcess server, IEnumerable<byte[]> files, string? study = null)
    {
        var (body, contentType) = BuildStowBody(files);
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, study is null ? "studies" : $"studies/{study}") { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", DicomWebMediaTypes.ApplicationDicomJson);
        return await SendAsync(server.Http, request).ConfigureAwait(false);
    }

    /// <summary>STOW-RS that must store everything (200); fails the test with the response otherwise.</summary>
    public static async Task StowAllAsync(ServerProcess server, TestStudy study)
    {
        var reply = await StowAsync(server, study.Files).ConfigureAwait(false);
        if (reply.Status != HttpStatusCode.OK) Assert.Fail($"STOW-RS of {study.Instances.Count} instances to our server: {reply}\n--- fednano log ---\n{server.OutputTail()}");
    }

    /// <summary>GET <paramref name="path"/> with an optional raw Accept header.</summary>
    public static Task<Reply> GetAsync(ServerProcess server, string path, string? accept = null) => GetAsync(server.Http, path, accept);

    /// <summary>GET <paramref name="path"/> with an optional raw Accept header.</summary>
    public static async Task<Reply> GetAsync(HttpClient http, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await SendAsync(http, request).ConfigureAwait(false);
    }

    private static async Task<Reply> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
        return new Reply(response.StatusCode, response.Content.Headers.TryGetValues("Content-Type", out var ct) ? string.Join(", ", ct) : null, body, headers);
    }

    /// <summary>QIDO-RS: the JSON array of matches (empty on 204); fails the test on any other status.</summary>
    public static async Task<JsonArray> QidoAsync(ServerProcess server, string pathAndQuery)
    {
        var reply = await GetAsync(server, pathAndQuery, DicomWebMediaTypes.ApplicationDicomJson).ConfigureAwait(false);
        if (reply.Status == HttpStatusCode.NoContent) return [];
        if (reply.Status != HttpStatusCode.OK) Assert.Fail($"QIDO-RS GET {pathAndQuery}: {reply}\n--- fednano log ---\n{server.OutputTail()}");
        return JsonNode.Parse(reply.Body)?.AsArray() ?? [];
    }

    /// <summary>The first string value of attribute <paramref name="tag"/> (8 hex digits) in a DICOM JSON object.</summary>
    public static string? StringOf(JsonNode? obj, string tag)
    {
        var value = obj?[tag]?["Value"]?.AsArray();
        if (value is null || value.Count == 0) return null;
        var first = value[0];
        return first is JsonValue v ? v.ToString() : first?["Alphabetic"]?.GetValue<string>();
    }

    /// <summary>The SOP Instance UIDs in a QIDO-RS instance result.</summary>
    public static HashSet<string> SopsOf(JsonArray matches) =>
        matches.Select(m => StringOf(m, "00080018") ?? throw new InvalidOperationException($"A QIDO match without SOPInstanceUID: {m?.ToJsonString()}")).ToHashSet();

    /// <summary>WADO-RS: the parts of a multipart response; fails the test unless the status is 200.</summary>
    public static async Task<IReadOnlyList<Part>> RetrieveAsync(ServerProcess server, string path, string? accept = null)
    {
        var reply = await GetAsync(server, path, accept).ConfigureAwait(false);
        if (reply.Status != HttpStatusCode.OK) Assert.Fail($"WADO-RS GET {path} (Accept: {accept}): {reply}\n--- fednano log ---\n{server.OutputTail()}");
        return await ParseMultipartAsync(reply).ConfigureAwait(false);
    }

    /// <summary>Parses a multipart/related response body with <see cref="MultipartRelatedReader"/>.</summary>
    public static async Task<IReadOnlyList<Part>> ParseMultipartAsync(Reply reply)
    {
        var contentType = reply.ContentType ?? throw new InvalidOperationException("The response has no Content-Type.");
        var reader = new MultipartRelatedReader(new MemoryStream(reply.Body, writable: false), MultipartRelatedReader.GetBoundary(contentType));
        var parts = new List<Part>();
        while (await reader.ReadNextPartAsync().ConfigureAwait(false) is { } part)
        {
            using var ms = new MemoryStream();
            await part.Body.CopyToAsync(ms).ConfigureAwait(false);
            parts.Add(new Part(part.ContentType, part.Headers, ms.ToArray()));
        }
        return parts;
    }
}
