using System.Text.Json;
using FedNano.Dicom;

namespace FedNano.DicomService.Http;

/// <summary>Writes DICOM JSON to a response through its <see cref="System.IO.Pipelines.PipeWriter"/>, flushing as it goes (no whole-array buffer).</summary>
public static class DicomJsonStreaming
{
    private const int FlushThreshold = 64 * 1024;

    /// <summary>Writes the datasets as a JSON array; each with its own JSON options.</summary>
    public static async Task WriteArrayAsync(HttpResponse response, IAsyncEnumerable<(DicomDataset Dataset, DicomJsonOptions Options)> datasets,
        CancellationToken cancellationToken)
    {
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, DicomJsonWriter.CreateWriterOptions());
        writer.WriteStartArray();
        await foreach (var (dataset, options) in datasets.WithCancellation(cancellationToken))
        {
            DicomJsonWriter.Write(writer, dataset, options);
            if (writer.BytesPending >= FlushThreshold)
            {
                writer.Flush();
                await body.FlushAsync(cancellationToken);
            }
        }
        writer.WriteEndArray();
        writer.Flush();
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>Writes one dataset as a JSON object.</summary>
    public static async Task WriteObjectAsync(HttpResponse response, DicomDataset dataset, DicomJsonOptions options, CancellationToken cancellationToken)
    {
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, DicomJsonWriter.CreateWriterOptions(options));
        DicomJsonWriter.Write(writer, dataset, options);
        writer.Flush();
        await body.FlushAsync(cancellationToken);
    }
}

/// <summary>A minimal-API result that writes a DICOM JSON object or array with a status code and media type.</summary>
public sealed class DicomJsonResult : IResult
{
    private readonly DicomDataset? _single;
    private readonly IReadOnlyList<DicomDataset>? _many;
    private readonly DicomJsonOptions _options;

    private DicomJsonResult(int statusCode, string contentType, DicomDataset? single, IReadOnlyList<DicomDataset>? many, DicomJsonOptions? options)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        _single = single;
        _many = many;
        _options = options ?? DicomJsonOptions.Default;
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The Content-Type.</summary>
    public string ContentType { get; }

    /// <summary>One dataset as a JSON object.</summary>
    public static DicomJsonResult Object(int statusCode, string contentType, DicomDataset dataset, DicomJsonOptions? options = null) =>
        new(statusCode, contentType, dataset, null, options);

    /// <summary>Datasets as a JSON array.</summary>
    public static DicomJsonResult Array(int statusCode, string contentType, IReadOnlyList<DicomDataset> datasets, DicomJsonOptions? options = null) =>
        new(statusCode, contentType, null, datasets, options);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = ContentType;
        if (_single is not null)
        {
            await DicomJsonStreaming.WriteObjectAsync(httpContext.Response, _single, _options, httpContext.RequestAborted);
            return;
        }
        await DicomJsonStreaming.WriteArrayAsync(httpContext.Response, Enumerate(_many!, _options), httpContext.RequestAborted);
    }

    private static async IAsyncEnumerable<(DicomDataset, DicomJsonOptions)> Enumerate(IReadOnlyList<DicomDataset> datasets, DicomJsonOptions options)
    {
        foreach (var dataset in datasets) yield return (dataset, options);
        await Task.CompletedTask;
    }
}
