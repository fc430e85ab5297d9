using System.Net;
using System.Text.Json;

namespace FedNano.DicomService.Tests.Api;

/// <summary>DELETE at the three levels and the change feed.</summary>
public sealed class DeleteAndChangeFeedApiTests : IDisposable
{
    private readonly ApiTestHost _host = new();
    private readonly HttpClient _client;

    public DeleteAndChangeFeedApiTests() => _client = _host.Client();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task Deleting_an_instance_answers_204_then_404_and_the_feed_records_it()
    {
        var (study, series, sops, files) = TestInstances.Series(2);
        await _host.StoreAsync(_client, files);

        using (var deleted = await _client.DeleteAsync($"/dicomweb/studies/{study}/series/{series}/instances/{sops[0]}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var again = await _client.DeleteAsync($"/dicomweb/studies/{study}/series/{series}/instances/{sops[0]}"))
            await again.AssertProblemAsync(404);
        using (var query = await _client.GetAsync($"/dicomweb/studies/{study}/instances"))
            Assert.Equal(sops[1], Assert.Single(await query.ReadDatasetsAsync()).GetString(FedNano.Dicom.DicomTags.SOPInstanceUID));

        using var feed = await _client.GetAsync("/dicomweb/changefeed");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("application/json", feed.Content.Headers.ContentType?.MediaType);
        var events = (await feed.ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal(3, events.Length);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.GetProperty("sequence").GetInt64()).ToArray());
        Assert.Equal(new[] { "create", "create", "delete" }, events.Select(e => e.GetProperty("action").GetString()!).ToArray());
        var last = events[2];
        Assert.Equal(study, last.GetProperty("studyInstanceUid").GetString());
        Assert.Equal(series, last.GetProperty("seriesInstanceUid").GetString());
        Assert.Equal(sops[0], last.GetProperty("sopInstanceUid").GetString());
        Assert.Equal(TestInstances.CtImageSopClass, last.GetProperty("sopClassUid").GetString());
        Assert.True(last.GetProperty("timestamp").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Deleting_a_series_and_a_study_answer_204_and_empty_the_index()
    {
        var first = TestInstances.Series(2);
        var second = TestInstances.Series(1);
        await _host.StoreAsync(_client, first.Files);
        await _host.StoreAsync(_client, second.Files);

        using (var series = await _client.DeleteAsync($"/dicomweb/studies/{first.Study}/series/{first.Series}"))
            Assert.Equal(HttpStatusCode.NoContent, series.StatusCode);
        using (var study = await _client.DeleteAsync($"/dicomweb/studies/{second.Study}"))
            Assert.Equal(HttpStatusCode.NoContent, study.StatusCode);
        using (var missing = await _client.DeleteAsync($"/dicomweb/studies/{second.Study}"))
            await missing.AssertProblemAsync(404);

        foreach (var study in new[] { first.Study, second.Study })
        {
            using var query = await _client.GetAsync($"/dicomweb/studies?StudyInstanceUID={study}");
            Assert.Equal(HttpStatusCode.NoContent, query.StatusCode);
        }
        using var retrieve = await _client.GetAsync($"/dicomweb/studies/{first.Study}");
        await retrieve.AssertProblemAsync(404);
    }

    [Fact]
    public async Task The_feed_pages_with_offset_and_limit_and_reports_the_latest()
    {
        var (_, _, _, files) = TestInstances.Series(3);
        await _host.StoreAsync(_client, files);

        using var page = await _client.GetAsync("/dicomweb/changefeed?offset=1&limit=1");
        var single = Assert.Single((await page.ReadJsonAsync()).EnumerateArray());
        Assert.Equal(2, single.GetProperty("sequence").GetInt64());

        using var rest = await _client.GetAsync("/dicomweb/changefeed?offset=3");
        Assert.Equal(0, (await rest.ReadJsonAsync()).GetArrayLength());

        using var latest = await _client.GetAsync("/dicomweb/changefeed/latest");
        var json = await latest.ReadJsonAsync();
        Assert.Equal(3, json.GetProperty("sequence").GetInt64());
        Assert.Equal(3, json.GetProperty("latest").GetProperty("sequence").GetInt64());
        Assert.Equal("create", json.GetProperty("latest").GetProperty("action").GetString());
    }

    [Fact]
    public async Task An_empty_feed_is_an_empty_array_and_latest_zero()
    {
        using var feed = await _client.GetAsync("/dicomweb/changefeed");
        Assert.Equal(0, (await feed.ReadJsonAsync()).GetArrayLength());
        using var latest = await _client.GetAsync("/dicomweb/changefeed/latest");
        var json = await latest.ReadJsonAsync();
        Assert.Equal(0, json.GetProperty("sequence").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("latest").ValueKind);
    }

    [Theory]
    [InlineData("offset=-1")]
    [InlineData("offset=x")]
    [InlineData("limit=0")]
    [InlineData("limit=100000")]
    public async Task Bad_feed_parameters_answer_400(string query)
    {
        using var response = await _client.GetAsync("/dicomweb/changefeed?" + query);
        await response.AssertProblemAsync(400);
    }
}
