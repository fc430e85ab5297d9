using System.Net;
using FedNano.Dicom;

namespace FedNano.DicomService.Tests.Api;

/// <summary>QIDO-RS over HTTP: the six routes, 204, Warning 299, 400 and 406.</summary>
public sealed class QidoApiTests : IDisposable
{
    private readonly ApiTestHost _host = new();
    private readonly HttpClient _client;

    public QidoApiTests() => _client = _host.Client();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task All_six_routes_find_the_stored_instances()
    {
        var patient = "QIDO-" + Guid.NewGuid().ToString("N")[..8];
        var (study, series, sops, files) = TestInstances.Series(2, patientId: patient);
        await _host.StoreAsync(_client, files);

        var routes = new (string Path, int Count, string Key)[]
        {
            ($"/dicomweb/studies?PatientID={patient}", 1, study),
            ($"/dicomweb/series?PatientID={patient}", 1, series),
            ($"/dicomweb/instances?PatientID={patient}", 2, sops[0]),
            ($"/dicomweb/studies/{study}/series", 1, series),
            ($"/dicomweb/studies/{study}/instances", 2, sops[0]),
            ($"/dicomweb/studies/{study}/series/{series}/instances", 2, sops[0]),
        };
        foreach (var (path, count, key) in routes)
        {
            using var response = await _client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(DicomWebMediaTypes.ApplicationDicomJson, response.MediaType());
            var results = await response.ReadDatasetsAsync();
            Assert.Equal(count, results.Count);
            Assert.Contains(results, r => r.GetString(DicomTags.StudyInstanceUID) == key
                                          || r.GetString(DicomTags.SeriesInstanceUID) == key
                                          || r.GetString(DicomTags.SOPInstanceUID) == key);
            Assert.All(results, r => Assert.StartsWith($"http://localhost/dicomweb/studies/{study}", r.GetString(DicomTags.RetrieveURL)));
        }
    }

    [Fact]
    public async Task Series_results_carry_the_series_retrieve_url()
    {
        var (study, series, _, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);

        using var response = await _client.GetAsync($"/dicomweb/studies/{study}/series");

        var result = Assert.Single(await response.ReadDatasetsAsync());
        Assert.Equal($"http://localhost/dicomweb/studies/{study}/series/{series}", result.GetString(DicomTags.RetrieveURL));
    }

    [Fact]
    public async Task No_match_answers_204_without_a_body()
    {
        using var response = await _client.GetAsync("/dicomweb/studies?PatientID=nobody-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task More_results_than_the_limit_send_warning_299()
    {
        var (study, _, _, files) = TestInstances.Series(3);
        await _host.StoreAsync(_client, files);

        using var page = await _client.GetAsync($"/dicomweb/studies/{study}/instances?limit=2&offset=0");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(2, (await page.ReadDatasetsAsync()).Count);
        var warning = Assert.Single(page.Headers.GetValues("Warning"));
        Assert.Equal("299 localhost: \"There are additional results that can be requested\"", warning);

        using var last = await _client.GetAsync($"/dicomweb/studies/{study}/instances?limit=2&offset=2");
        Assert.Single(await last.ReadDatasetsAsync());
        Assert.False(last.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Pages_are_stable_and_disjoint()
    {
        var (study, _, sops, files) = TestInstances.Series(4);
        await _host.StoreAsync(_client, files);

        var seen = new List<string>();
        for (var offset = 0; offset < 4; offset += 2)
        {
            using var page = await _client.GetAsync($"/dicomweb/studies/{study}/instances?limit=2&offset={offset}");
            seen.AddRange((await page.ReadDatasetsAsync()).Select(d => d.GetString(DicomTags.SOPInstanceUID)!));
        }
        Assert.Equal(sops.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("application/dicom+json")]
    [InlineData("application/json")]
    [InlineData("application/dicom+xml;q=0.5, application/dicom+json")]
    public async Task Json_accept_values_answer_a_json_array(string accept)
    {
        var (study, _, _, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);

        using var response = await _client.SendAsync(Multipart.Get($"/dicomweb/studies?StudyInstanceUID={study}", accept));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await response.ReadDatasetsAsync());
        Assert.Contains(response.MediaType(), new[] { DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson });
    }

    [Theory]
    [InlineData("application/dicom+xml")]
    [InlineData("multipart/related; type=\"application/dicom\"")]
    [InlineData("text/html")]
    public async Task Other_accept_values_answer_406(string accept)
    {
        using var response = await _client.SendAsync(Multipart.Get("/dicomweb/studies", accept));
        await response.AssertProblemAsync(406);
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    [InlineData("StudyDate=not-a-date")]
    [InlineData("NoSuchKeyword=1")]
    public async Task Bad_parameters_answer_400_problem(string query)
    {
        using var response = await _client.GetAsync("/dicomweb/studies?" + query);
        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task A_malformed_accept_header_answers_400()
    {
        using var response = await _client.SendAsync(Multipart.Get("/dicomweb/studies", "application/dicom+json; q=2"));
        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Query_parameters_are_passed_in_order_with_repeats()
    {
        var pairs = FedNano.DicomService.Endpoints.QidoEndpoints.ParseQuery("?PatientName=Doe%5EJ*&includefield=00081030&includefield=all&fuzzymatching=true&x+y=a+b&flag");
        Assert.Equal(
            [new("PatientName", "Doe^J*"), new("includefield", "00081030"), new("includefield", "all"), new("fuzzymatching", "true"), new("x y", "a b"), new KeyValuePair<string, string>("flag", "")],
            pairs);
    }
}
