using System.Net.Http.Headers;
using FedNano.Dicom;

namespace FedNano.DicomService.Tests.Api;

/// <summary>Builds multipart/related request bodies and parses multipart responses with the codec's reader and writer.</summary>
internal static class Multipart
{
    /// <summary>A multipart/related body of application/dicom parts with the type parameter quoted (the writer's form).</summary>
    public static HttpContent DicomContent(IEnumerable<byte[]> parts, string partType = DicomWebMediaTypes.ApplicationDicom)
    {
        var (body, contentType) = Build(parts, partType);
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>The body bytes and the Content-Type header value (type quoted).</summary>
    public static (byte[] Body, string ContentType) Build(IEnumerable<byte[]> parts, string partType = DicomWebMediaTypes.ApplicationDicom)
    {
        using var ms = new MemoryStream();
        var writer = new MultipartRelatedWriter(ms, DicomWebMediaTypes.ApplicationDicom);
        foreach (var part in parts) writer.WritePartAsync(part, partType).GetAwaiter().GetResult();
        writer.CompleteAsync().GetAwaiter().GetResult();
        return (ms.ToArray(), writer.ContentType);
    }

    /// <summary>One part of a parsed response.</summary>
    public sealed record Part(string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>Reads every part of a multipart response.</summary>
    public static async Task<IReadOnlyList<Part>> ReadAsync(HttpResponseMessage response)
    {
        var contentType = response.Content.Headers.ContentType?.ToString()
            ?? throw new InvalidOperationException("The response has no Content-Type.");
        var boundary = MultipartRelatedReader.GetBoundary(contentType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var reader = new MultipartRelatedReader(stream, boundary);
        var parts = new List<Part>();
        while (await reader.ReadNextPartAsync() is { } part)
        {
            using var ms = new MemoryStream();
            await part.Body.CopyToAsync(ms);
            parts.Add(new Part(part.ContentType, part.Headers, ms.ToArray()));
        }
        return parts;
    }

    /// <summary>An Accept header value parsed without validation (DICOMweb parameters are unusual for HttpClient).</summary>
    public static void SetAccept(HttpRequestMessage request, string accept)
    {
        request.Headers.Accept.Clear();
        request.Headers.TryAddWithoutValidation("Accept", accept);
    }

    /// <summary>A GET with a raw Accept header.</summary>
    public static HttpRequestMessage Get(string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) SetAccept(request, accept);
        return request;
    }

    /// <summary>Sets a raw Content-Type on content.</summary>
    public static T WithContentType<T>(this T content, string contentType) where T : HttpContent
    {
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>The media type of a response (without parameters).</summary>
    public static string? MediaType(this HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    /// <summary>A header value as sent.</summary>
    public static string? Raw(this HttpContentHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    /// <summary>Parses a media type header value.</summary>
    public static MediaTypeValue ParseMediaType(string value) => MediaTypeValue.Parse(value);

    /// <summary>Accept header forms.</summary>
    public static MediaTypeWithQualityHeaderValue Json => new(DicomWebMediaTypes.ApplicationDicomJson);
}
