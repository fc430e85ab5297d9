using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FedNano.DicomService.Tests.Api;
using FedNano.DicomService.Tests.Reconstruction;

namespace FedNano.DicomService.Tests.Questions;

/// <summary><c>POST /api/studies/{study}/questions</c>: the model looks at the study's CT series and answers; bad requests get specific errors.</summary>
public sealed class QuestionEndpointTests(RawScanFixture scan, TinyQuestionModel model) : IClassFixture<RawScanFixture>, IClassFixture<TinyQuestionModel>
{
    private ApiTestHost Host(string? modelDirectory = null) => new(new Dictionary<string, string?>
    {
        ["Questions:ModelDirectory"] = modelDirectory ?? model.Directory,
        ["Reconstruction:AutoReconstruct"] = "false",
    });

    private static Task<HttpResponseMessage> AskAsync(HttpClient client, string study, object body) =>
        client.PostAsJsonAsync($"/api/studies/{study}/questions", body);

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task A_question_about_a_stored_CT_series_is_answered_with_the_series_and_slices_used()
    {
        using var host = Host();
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.Views)).EnsureSuccessStatusCode();
        (await host.StowAsync(client, "/dicomweb/studies", scan.TruthSlices)).EnsureSuccessStatusCode();

        using var response = await AskAsync(client, scan.StudyInstanceUid, new { question = "Is there a pleural effusion?" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await JsonOf(response);

        Assert.True(body.TryGetProperty("answer", out var answer) && answer.ValueKind == JsonValueKind.String);
        Assert.Contains(body.GetProperty("stopReason").GetString(), new[] { "eos", "max-tokens", "stop-sequence" });
        Assert.StartsWith(Path.GetFileName(model.Directory) + "@", body.GetProperty("modelVersion").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("adapterVersion").ValueKind);
        Assert.Equal(scan.StudyInstanceUid, body.GetProperty("studyInstanceUid").GetString());
        Assert.NotEqual(scan.SeriesInstanceUid, body.GetProperty("seriesInstanceUid").GetString()); // the CT series, not the raw views
        Assert.InRange(body.GetProperty("sopInstanceUids").GetArrayLength(), 1, 3);
    }

    [Fact]
    public async Task A_study_with_only_raw_projection_data_is_a_422_that_says_to_reconstruct_it()
    {
        using var host = Host();
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.Views)).EnsureSuccessStatusCode();

        using var response = await AskAsync(client, scan.StudyInstanceUid, new { question = "Is there a nodule?" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("reconstruct it first", (await JsonOf(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_study_is_a_404()
    {
        using var host = Host();
        using var client = host.Client();

        using var response = await AskAsync(client, "1.2.3.4.5", new { question = "Is there a nodule?" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("1.2.3.4.5", (await JsonOf(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_series_or_slice_in_a_stored_study_is_a_404_naming_it()
    {
        using var host = Host();
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.TruthSlices)).EnsureSuccessStatusCode();

        using var series = await AskAsync(client, scan.StudyInstanceUid, new { question = "Is there a nodule?", seriesInstanceUid = "1.2.3.999" });
        using var slice = await AskAsync(client, scan.StudyInstanceUid, new { question = "Is there a nodule?", sopInstanceUid = "1.2.3.998" });

        Assert.Equal(HttpStatusCode.NotFound, series.StatusCode);
        Assert.Contains("1.2.3.999", (await JsonOf(series)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, slice.StatusCode);
        Assert.Contains("1.2.3.998", (await JsonOf(slice)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{}", "non-empty 'question'")]
    [InlineData("{\"question\": \"   \"}", "non-empty 'question'")]
    [InlineData("{\"question\": 5}", "not a valid question")]
    [InlineData("{\"question\": \"ok?\", \"seriesInstanceUid\": \"1..2\"}", "not a valid UID")]
    public async Task A_bad_body_is_a_400_with_the_reason(string json, string reason)
    {
        using var host = Host();
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.TruthSlices)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync($"/api/studies/{scan.StudyInstanceUid}/questions", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await JsonOf(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415()
    {
        using var host = Host();
        using var client = host.Client();

        using var response = await client.PostAsync($"/api/studies/{scan.StudyInstanceUid}/questions", new StringContent("question=hi", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_model_is_a_503_naming_the_setting()
    {
        using var host = Host(modelDirectory: Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N")));
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.TruthSlices)).EnsureSuccessStatusCode();

        using var response = await AskAsync(client, scan.StudyInstanceUid, new { question = "Is there a nodule?" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Questions:ModelDirectory", (await JsonOf(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_endpoint_is_documented_in_Swagger()
    {
        using var host = Host();
        using var client = host.Client();

        var swagger = await client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Contains("/api/studies/{studyInstanceUid}/questions", swagger);
        Assert.Contains("AskAboutStudy", swagger);
    }
}
