using System.Text.Json;
using FedNano.Dicom;

namespace FedNano.DicomService.Tests.Api;

/// <summary>Reading DICOM JSON and problem+json responses.</summary>
internal static class JsonHelpers
{
    public static async Task<DicomDataset> ReadDatasetAsync(this HttpResponseMessage response) =>
        DicomJsonReader.Deserialize(await response.Content.ReadAsByteArrayAsync());

    public static async Task<IReadOnlyList<DicomDataset>> ReadDatasetsAsync(this HttpResponseMessage response) =>
        DicomJsonReader.DeserializeArray(await response.Content.ReadAsByteArrayAsync());

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem+json body with the status and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        var detail = root.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return detail!;
    }
}
