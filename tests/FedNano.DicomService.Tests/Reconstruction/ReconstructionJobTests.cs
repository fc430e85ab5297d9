using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FedNano.Dicom;
using FedNano.DicomService.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using static FedNano.DicomService.Tests.Reconstruction.ReconstructionApiClient;

namespace FedNano.DicomService.Tests.Reconstruction;

/// <summary>The jobs API, bad input and restarts.</summary>
public sealed class ReconstructionJobTests(RawScanFixture raw) : IClassFixture<RawScanFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    private static async Task<int> InstanceCountAsync(HttpClient client, string study, string series)
    {
        // QIDO pages at 1000 by default; a demo scan has more views than that.
        using var response = await client.GetAsync($"/dicomweb/studies/{study}/series/{series}/instances?limit=10000&includefield=00080018");
        if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound) return 0;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetArrayLength();
    }

    [Fact]
    public async Task A_series_with_missing_views_gets_a_failed_job_naming_them_and_stays_stored()
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings(incompleteTimeoutSeconds: 1));
        using var client = host.Client();
        var series = DicomUid.Generate();
        var views = raw.Edited((i, ds) => i is 10 or 11 ? null : ds, series);
        await StoreInBatchesAsync(host, client, views);

        var job = await WaitForAutoJobAsync(client, series, JobTimeout);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        var reason = job.GetProperty("reason").GetString()!;
        Assert.Contains($"{raw.Scan.Views - 2} of {raw.Scan.Views} views", reason);
        Assert.Contains("missing instance numbers 11, 12", reason);
        Assert.Equal(raw.Scan.Views - 2, await InstanceCountAsync(client, raw.StudyInstanceUid, series));
        var allSeries = JsonDocument.Parse(await client.GetStringAsync($"/dicomweb/studies/{raw.StudyInstanceUid}/series")).RootElement;
        Assert.Equal(1, allSeries.GetArrayLength()); // no output series was left behind
    }

    [Fact]
    public async Task A_series_with_inconsistent_geometry_gets_a_failed_job_with_the_reader_reason()
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings());
        using var client = host.Client();
        var series = DicomUid.Generate();
        var views = raw.Edited((i, ds) =>
        {
            if (i == 5)
            {
                // DetectorFocalCenterRadialDistance (7031,xx03) of the detector dynamics block: another source distance.
                var item = ds.Items.Single(e => e.Tag.Group == 0x7031 && e.Tag.Element >= 0x1000 && (e.Tag.Element & 0xFF) == 0x03);
                ds.AddOrUpdate(item.Tag, DicomVR.FL, 500f);
            }
            return ds;
        }, series);
        await StoreInBatchesAsync(host, client, views);

        var job = await WaitForAutoJobAsync(client, series, JobTimeout);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("not usable projection data", job.GetProperty("reason").GetString());
        Assert.Equal(raw.Scan.Views, await InstanceCountAsync(client, raw.StudyInstanceUid, series));
    }

    [Fact]
    public async Task An_ordinary_CT_series_gets_no_job_and_is_refused_by_the_API()
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings());
        using var client = host.Client();
        await host.StoreAsync(client, raw.TruthSlices);
        var truthSeries = DicomFile.Read(raw.TruthSlices[0]).Dataset.GetString(DicomTags.SeriesInstanceUID)!;
        await Task.Delay(1500); // several quiet periods
        Assert.Empty(await JobsOfSeriesAsync(client, truthSeries));

        var refused = await PostJobAsync(client, new { studyInstanceUid = raw.StudyInstanceUid, seriesInstanceUid = truthSeries }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not DICOM-CT-PD projection data", refused.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{not json", 400, "not a valid reconstruction request")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\"}", 400, "seriesInstanceUid is required")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2.x\"}", 400, "not a valid UID")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2.4\",\"method\":\"art\"}", 400, "Unknown method 'art'")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2.4\",\"sliceSpacingMm\":0}", 400, "Slice spacing 0 mm")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2.4\",\"model\":\"../../etc/passwd\"}", 400, "file name of a .ckpt")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2.4\",\"method\":\"dual-domain\",\"matrixSize\":512}", 400, "grid it was trained for")]
    [InlineData("{\"studyInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2.4\"}", 404, "is not stored")]
    public async Task A_bad_job_request_gets_a_specific_problem(string body, int status, string detail)
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings());
        using var client = host.Client();
        using var response = await client.PostAsync("/api/reconstructions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unknown_jobs_statuses_and_media_types_are_refused()
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings());
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/reconstructions/0123")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/reconstructions/0123/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/reconstructions?status=done")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/reconstructions?status=1")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await client.PostAsync("/api/reconstructions", new StringContent("{}", Encoding.UTF8, "text/plain"))).StatusCode);
    }

    [Fact]
    public async Task A_series_a_client_requested_a_job_for_gets_no_automatic_job_as_well()
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings());
        using var client = host.Client();
        await StoreInBatchesAsync(host, client, raw.Views);
        // Requested within the settle time after the last view, as the PACS bridge does with its rule's method.
        var job = await PostJobAsync(client, new { studyInstanceUid = raw.StudyInstanceUid, seriesInstanceUid = raw.SeriesInstanceUid, method = "ssr-fbp" });

        var done = await WaitForAsync(client, job.GetProperty("id").GetString()!, IsFinal, JobTimeout);
        await Task.Delay(1500); // past the settle time and several watcher polls

        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var jobs = await JobsOfSeriesAsync(client, raw.SeriesInstanceUid);
        Assert.Equal("api", Assert.Single(jobs).GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task A_requested_job_can_be_cancelled_while_running_and_retried_to_success_exactly_once()
    {
        using var host = new ApiTestHost(ReconstructionServiceTests.Settings(auto: false));
        using var client = host.Client();
        await StoreInBatchesAsync(host, client, raw.Views);
        // Thin slices: long enough to be caught running.
        var job = await PostJobAsync(client, new { studyInstanceUid = raw.StudyInstanceUid, seriesInstanceUid = raw.SeriesInstanceUid, method = "360li", sliceSpacingMm = 0.1 });
        string id = job.GetProperty("id").GetString()!;
        Assert.Equal("api", job.GetProperty("trigger").GetString());
        await WaitForAsync(client, id, j => j.GetProperty("status").GetString() == "running" && j.GetProperty("progress").GetDouble() > 10, JobTimeout);

        // The running job does not hold up DICOMweb: a QIDO and a WADO of a raw view answer at once.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var views = JsonDocument.Parse(await client.GetStringAsync($"/dicomweb/studies/{raw.StudyInstanceUid}/series/{raw.SeriesInstanceUid}/instances?limit=1")).RootElement;
        string view = views[0].GetProperty("00080018").GetProperty("Value")[0].GetString()!;
        var metadata = await client.GetAsync($"/dicomweb/studies/{raw.StudyInstanceUid}/series/{raw.SeriesInstanceUid}/instances/{view}/metadata");
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"DICOMweb took {clock.Elapsed.TotalSeconds:F1} s while a job ran");
        Assert.Equal("running", (await GetJobAsync(client, id)).GetProperty("status").GetString());

        var cancelled = await client.PostAsync($"/api/reconstructions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var after = await WaitForAsync(client, id, IsFinal, JobTimeout);
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        await Task.Delay(500);
        var output = after.GetProperty("outputSeriesInstanceUid").GetString()!;
        Assert.Equal(0, await InstanceCountAsync(client, raw.StudyInstanceUid, output));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/reconstructions/{id}/cancel", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/reconstructions/{id}/retry", null)).StatusCode);
        var done = await WaitForAsync(client, id, IsFinal, JobTimeout);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.Equal(done.GetProperty("slices").GetInt32(), await InstanceCountAsync(client, raw.StudyInstanceUid, output));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/reconstructions/{id}/retry", null)).StatusCode);
        var succeeded = JsonDocument.Parse(await client.GetStringAsync("/api/reconstructions?status=succeeded")).RootElement;
        Assert.Equal(id, succeeded[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_job_running_when_the_service_stops_completes_exactly_once_after_a_restart()
    {
        var settings = ReconstructionServiceTests.Settings(auto: false);
        string dataDirectory;
        string id, output;
        {
            var first = new ApiTestHost(settings);
            dataDirectory = first.DataDirectory;
            settings["Storage:DataDirectory"] = dataDirectory;
            using var client = first.Client();
            await StoreInBatchesAsync(first, client, raw.Views);
            var job = await PostJobAsync(client, new { studyInstanceUid = raw.StudyInstanceUid, seriesInstanceUid = raw.SeriesInstanceUid, method = "360li", sliceSpacingMm = 0.1 });
            id = job.GetProperty("id").GetString()!;
            output = job.GetProperty("outputSeriesInstanceUid").GetString()!;
            await WaitForAsync(client, id, j => j.GetProperty("status").GetString() == "running" && j.GetProperty("progress").GetDouble() > 10, JobTimeout);
            // Stop the host (as a service stop does) without deleting its data directory.
            first.KeepDataDirectory = true;
            first.Dispose();
        }
        using var second = new ApiTestHost(settings);
        using var client2 = second.Client();
        var done = await WaitForAsync(client2, id, IsFinal, JobTimeout);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.Equal(done.GetProperty("slices").GetInt32(), await InstanceCountAsync(client2, raw.StudyInstanceUid, output));
        var jobs = await JobsOfSeriesAsync(client2, raw.SeriesInstanceUid);
        Assert.Single(jobs);
        var allSeries = JsonDocument.Parse(await client2.GetStringAsync($"/dicomweb/studies/{raw.StudyInstanceUid}/series")).RootElement;
        Assert.Equal(2, allSeries.GetArrayLength()); // raw + one output series
    }
}
