using System.Net;
using System.Text.Json;

namespace FedNano.DicomService.Tests.Api;

/// <summary>Health, the OpenAPI document and Swagger UI, and problem+json error bodies.</summary>
public sealed class HostApiTests : IDisposable
{
    private readonly ApiTestHost _host = new();
    private readonly HttpClient _client;

    public HostApiTests() => _client = _host.Client();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task Health_reports_the_index_healthy()
    {
        using var response = await _client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal("Healthy", json.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.GetProperty("checks").GetProperty("index").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_dicomweb_path_with_media_types_and_statuses()
    {
        using var response = await _client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.ReadJsonAsync();
        var paths = doc.GetProperty("paths");
        string[] expected =
        [
            "/dicomweb/studies", "/dicomweb/studies/{study}", "/dicomweb/series", "/dicomweb/instances",
            "/dicomweb/studies/{study}/series", "/dicomweb/studies/{study}/instances", "/dicomweb/studies/{study}/series/{series}/instances",
            "/dicomweb/studies/{study}/series/{series}", "/dicomweb/studies/{study}/series/{series}/instances/{instance}",
            "/dicomweb/studies/{study}/metadata", "/dicomweb/studies/{study}/series/{series}/metadata",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/bulkdata/{path}",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered",
            "/dicomweb/studies/{study}/thumbnail", "/dicomweb/studies/{study}/series/{series}/thumbnail",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/thumbnail",
            "/dicomweb/changefeed", "/dicomweb/changefeed/latest",
        ];
        foreach (var path in expected)
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");

        var stow = paths.GetProperty("/dicomweb/studies").GetProperty("post");
        Assert.Equal("StoreInstances", stow.GetProperty("operationId").GetString());
        Assert.True(stow.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/related; type=\"application/dicom\"", out _));
        foreach (var status in new[] { "200", "202", "400", "409", "415" })
            Assert.True(stow.GetProperty("responses").TryGetProperty(status, out _), $"STOW status {status} undocumented");
        Assert.True(stow.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/dicom+json", out _));

        var qido = paths.GetProperty("/dicomweb/studies").GetProperty("get");
        var parameters = qido.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("limit", parameters);
        Assert.Contains("includefield", parameters);
        Assert.Contains("Accept", parameters);
        Assert.True(qido.GetProperty("responses").TryGetProperty("204", out _));

        var rendered = paths.GetProperty("/dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered").GetProperty("get");
        Assert.True(rendered.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("image/jpeg", out _));
        Assert.Contains(rendered.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "window");
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        using var response = await _client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Errors_are_problem_json_with_a_specific_detail_and_no_stack_trace()
    {
        var study = TestInstances.NewUid();
        using var response = await _client.GetAsync($"/dicomweb/studies/{study}/metadata");

        var detail = await response.AssertProblemAsync(404);
        Assert.Contains(study, detail, StringComparison.Ordinal);
        var json = await response.ReadJsonAsync();
        Assert.Equal($"/dicomweb/studies/{study}/metadata", json.GetProperty("instance").GetString());
        Assert.StartsWith("https://", json.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, json.GetProperty("traceId").ValueKind);
    }

    [Fact]
    public async Task Unknown_routes_answer_a_problem_404()
    {
        using var response = await _client.GetAsync("/dicomweb/no-such-resource/at/all");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
