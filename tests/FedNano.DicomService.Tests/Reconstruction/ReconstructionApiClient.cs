using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FedNano.DicomService.Tests.Api;

namespace FedNano.DicomService.Tests.Reconstruction;

/// <summary>Helpers for the jobs API and for storing many views in batches.</summary>
internal static class ReconstructionApiClient
{
    public static async Task StoreInBatchesAsync(ApiTestHost host, HttpClient client, IReadOnlyList<byte[]> files, int batch = 200)
    {
        for (int i = 0; i < files.Count; i += batch) await host.StoreAsync(client, files.Skip(i).Take(batch).ToArray());
    }

    public static async Task<JsonElement> PostJobAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await client.PostAsJsonAsync("/api/reconstructions", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST /api/reconstructions answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJobAsync(HttpClient client, string id)
    {
        var text = await client.GetStringAsync($"/api/reconstructions/{id}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement[]> JobsOfSeriesAsync(HttpClient client, string series)
    {
        var text = await client.GetStringAsync($"/api/reconstructions?series={series}");
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>Polls until <paramref name="done"/> holds for the job, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        JsonElement job;
        do
        {
            job = await GetJobAsync(client, id);
            if (done(job)) return job;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        Assert.Fail($"Job {id} did not get there in {timeout.TotalSeconds} s: {job}");
        return job;
    }

    /// <summary>Polls until the series has an automatic job and it has finished.</summary>
    public static async Task<JsonElement> WaitForAutoJobAsync(HttpClient client, string series, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var jobs = await JobsOfSeriesAsync(client, series);
            if (jobs.Length > 0 && jobs[0].GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled") return jobs[0];
            await Task.Delay(100);
        }
        Assert.Fail($"No finished job for series {series} within {timeout.TotalSeconds} s.");
        return default;
    }

    public static bool IsFinal(JsonElement job) => job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled";
}
