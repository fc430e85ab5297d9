using System.Net.Http.Json;
using System.Text.Json;
using FedNano.DicomService.Tests.Api;
using FedNano.DicomService.Tests.Reconstruction;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;

namespace FedNano.DicomService.Tests.Questions;

/// <summary>
/// The shipped base model, through the default configuration, on CT series of held-out chest phantoms (seeds the
/// recipe never trained on): it sees pleural effusions and their side. Its other answers are measured in its model card.
/// </summary>
public sealed class ShippedModelTests
{
    private const int FirstHeldOutSeed = 90_000; // the recipe's held-out phantom seeds

    // Three axial CT slices 5 mm apart, 1.5 mm pixels, at the level the recipe looks at effusions (or mid-lung).
    private static (byte[][] Slices, string Study) Series(int seed, PhantomFindings truth)
    {
        var chest = truth.Chest!;
        double z = truth.PleuralEffusions.Count > 0
            ? Math.Max(chest.LungBaseZMm + 15, truth.PleuralEffusions[0].TopZMm - 25)
            : (chest.LungBaseZMm + chest.LungApexZMm) / 2;
        var grid = new VolumeGrid(256, 256, 3, 1.5, 5, z - 5);
        var volume = new ChestPhantom().Generate(grid, seed).Hounsfield;
        var metadata = ScanUids.Complete(new ScanMetadata($"PHANTOM^CHEST^{seed}", $"CHEST-{seed}"));
        var slices = new CtImageSeriesWriter().ToDatasets(volume, metadata, new CtSeriesOptions("Phantom truth", 3, "NONE")).Select(RawScanFixture.Encode).ToArray();
        return (slices, metadata.StudyInstanceUid!);
    }

    private static async Task<string> AskAsync(ApiTestHost host, HttpClient client, int seed, PhantomFindings truth, string question)
    {
        var (slices, study) = Series(seed, truth);
        (await host.StowAsync(client, "/dicomweb/studies", slices)).EnsureSuccessStatusCode();
        using var response = await client.PostAsJsonAsync($"/api/studies/{study}/questions", new { question });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.StartsWith("radiology-base-small@", body.GetProperty("modelVersion").GetString());
        return body.GetProperty("answer").GetString()!.Trim().ToLowerInvariant();
    }

    private static IEnumerable<(int Seed, PhantomFindings Truth)> HeldOut(Func<PhantomFindings, bool> select, int count)
    {
        var phantom = new ChestPhantom();
        return Enumerable.Range(FirstHeldOutSeed, 200).Select(s => (s, phantom.Findings(s))).Where(c => select(c.Item2)).Take(count);
    }

    [Fact]
    public async Task The_shipped_model_answers_whether_held_out_phantoms_have_a_pleural_effusion()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?> { ["Reconstruction:AutoReconstruct"] = "false" });
        using var client = host.Client();
        var wrong = new List<string>();
        foreach (var (seed, truth) in HeldOut(t => t.PleuralEffusions.Count > 0, 3).Concat(HeldOut(t => t.PleuralEffusions.Count == 0, 3)))
        {
            var answer = await AskAsync(host, client, seed, truth, "Is there a pleural effusion?");
            var expected = truth.PleuralEffusions.Count > 0 ? "yes" : "no";
            if (!answer.StartsWith(expected, StringComparison.Ordinal)) wrong.Add($"seed {seed}: expected {expected}, answered '{answer}'");
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Fact]
    public async Task The_shipped_model_names_the_side_of_a_held_out_pleural_effusion()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?> { ["Reconstruction:AutoReconstruct"] = "false" });
        using var client = host.Client();
        var wrong = new List<string>();
        foreach (var (seed, truth) in HeldOut(t => t.PleuralEffusions.Count > 0 && t.PleuralEffusions[0].Side == BodySide.Left, 2)
            .Concat(HeldOut(t => t.PleuralEffusions.Count > 0 && t.PleuralEffusions[0].Side == BodySide.Right, 2)))
        {
            var answer = await AskAsync(host, client, seed, truth, "Which side is the effusion on?");
            var expected = truth.PleuralEffusions[0].Side == BodySide.Left ? "left" : "right";
            if (!answer.Contains(expected, StringComparison.Ordinal)) wrong.Add($"seed {seed}: expected {expected}, answered '{answer}'");
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }
}
