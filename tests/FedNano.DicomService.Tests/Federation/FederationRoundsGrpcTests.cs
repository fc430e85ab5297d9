using System.Net.Http.Json;
using System.Text.Json;
using FedNano.DicomService.Federation;
using FedNano.DicomService.Tests.Api;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Protocol;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using Grpc.Core;
using Grpc.Net.Client;
using static TorchSharp.torch;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>Sites on loopback run rounds over gRPC against the host's coordinator and the shipped base model.</summary>
public sealed class FederationRoundsGrpcTests : IDisposable
{
    private readonly ApiTestHost _host = new(new Dictionary<string, string?>
    {
        ["Reconstruction:AutoReconstruct"] = "false",
        ["Federation:Aggregator"] = "fedavg",
        ["Federation:Rounds:MinClients"] = "3",
        ["Federation:Rounds:Rounds"] = "2",
        ["Federation:Rounds:RoundDeadlineSeconds"] = "300",
        ["Federation:Adapters:Rank"] = "4",
    });
    private readonly GrpcChannel _channel;

    public FederationRoundsGrpcTests()
    {
        _ = _host.Server;
        _channel = GrpcChannel.ForAddress(_host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _host.Server.CreateHandler() });
    }

    public void Dispose()
    {
        _channel.Dispose();
        _host.Dispose();
    }

    private static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "radiology-base-small");

    private static QaDataset LocalData(int seed)
    {
        manual_seed(seed);
        var samples = new List<QaSample>();
        for (int i = 0; i < 4; i++) samples.Add(new QaSample(i, QuestionType.EffusionPresence, "Is there a pleural effusion?", i % 2 == 0 ? "yes" : "no", $"site-case-{i}"));
        return new QaDataset(randn(4, 3, 128, 128), samples);
    }

    [Fact]
    public async Task Three_sites_on_loopback_complete_two_rounds_over_gRPC()
    {
        var registry = new SiteRegistry(Path.Combine(_host.DataDirectory, "sites.json"));
        var tokenizer = TextTokenizer.Load(ShippedModel, 4);
        var sites = new[] { "north", "south", "west" }.Select((id, i) =>
        {
            var (model, _) = ModelCheckpoint.Load(ShippedModel);
            var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 4 });
            var client = new FederationClient(new Rounds.RoundsClient(_channel), new SplitCompute.SplitComputeClient(_channel), registry.Create(id), Precision.Fp16);
            return (Id: id, Model: model, Edge: edge, Client: client, Data: LocalData(i + 1), Done: new List<int>());
        }).ToList();
        var options = new LocalTrainingOptions { Steps = 2, BatchSize = 2, ActivationPrecision = "fp16" };
        try
        {
            for (int attempt = 0; attempt < 20 && sites.Any(s => s.Done.Count < 2); attempt++)
                foreach (var s in sites)
                {
                    var outcome = s.Client.TryRound(s.Id, s.Edge, tokenizer, s.Data, options, seed: 5);
                    if (outcome.Round > 0)
                    {
                        Assert.True(outcome.Accepted, outcome.Reason);
                        s.Done.Add(outcome.Round);
                    }
                }
            Assert.All(sites, s => Assert.Equal([1, 2], s.Done));
            Assert.All(sites, s => Assert.True(s.Client.SplitServer.BytesUp > 0 && s.Client.UpdateBytesUp > 0));

            using var http = _host.Client();
            var state = JsonDocument.Parse(await http.GetStringAsync("/api/federation")).RootElement;
            Assert.Equal("v2", state.GetProperty("globalVersion").GetString());
            Assert.True(state.GetProperty("finished").GetBoolean());
            var rounds = state.GetProperty("rounds").EnumerateArray().ToList();
            Assert.Equal(2, rounds.Count);
            Assert.All(rounds, r => Assert.Equal("aggregated", r.GetProperty("state").GetString()));
            Assert.All(rounds, r => Assert.Equal(3, r.GetProperty("accepted").EnumerateObject().Count()));
            var audit = JsonDocument.Parse(await http.GetStringAsync("/api/federation/audit")).RootElement.EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();
            Assert.Equal(2, audit.Count(e => e == "round-aggregated"));
            Assert.Equal(6, audit.Count(e => e == "update-accepted"));
        }
        finally
        {
            foreach (var s in sites) s.Model.Dispose();
        }
    }

    [Fact]
    public void An_unauthenticated_site_cannot_fetch_a_round_task()
    {
        var error = Assert.Throws<RpcException>(() => new Rounds.RoundsClient(_channel).GetTask(new TaskRequest()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public void A_malformed_update_is_rejected_with_the_reason_and_counts_as_the_sites_answer()
    {
        var registry = new SiteRegistry(Path.Combine(_host.DataDirectory, "sites.json"));
        var clients = new[] { "a", "b", "c" }.Select(id => (id, headers: new Metadata { { "authorization", "Bearer " + registry.Create(id) } })).ToList();
        var rounds = new Rounds.RoundsClient(_channel);
        foreach (var (_, h) in clients) rounds.GetTask(new TaskRequest(), h);
        var task = rounds.GetTask(new TaskRequest(), clients[0].headers);
        Assert.True(task.HasTask);
        var bad = new UpdateRequest { Round = task.Round, SampleCount = 3 };
        bad.Adapters.Add(new NamedTensor { Name = "image.down.weight", Tensor = new TensorMessage { Precision = Precision.Fp32 } });
        var reply = rounds.SubmitUpdate(bad, clients[0].headers);
        Assert.False(reply.Accepted);
        Assert.Contains("image.down.weight", reply.Reason);
        Assert.False(rounds.GetTask(new TaskRequest(), clients[0].headers).HasTask); // it answered this round
    }

    private (Rounds.RoundsClient Rounds, List<(string Id, Metadata Headers)> Sites) ThreeSitesCheckedIn()
    {
        var registry = new SiteRegistry(Path.Combine(_host.DataDirectory, "sites.json"));
        var sites = new[] { "a", "b", "c" }.Select(id => (id, new Metadata { { "authorization", "Bearer " + registry.Create(id) } })).ToList();
        var rounds = new Rounds.RoundsClient(_channel);
        foreach (var (_, h) in sites) rounds.GetTask(new TaskRequest(), h);
        return (rounds, sites);
    }

    [Fact]
    public async Task A_sites_differential_privacy_settings_are_recorded_with_its_update()
    {
        var (rounds, sites) = ThreeSitesCheckedIn();
        var task = rounds.GetTask(new TaskRequest(), sites[0].Headers);
        var update = new UpdateRequest { Round = task.Round, SampleCount = 3, DpClipNorm = 1, DpNoiseMultiplier = 0.8 };
        update.Adapters.AddRange(task.GlobalAdapters);
        Assert.True(rounds.SubmitUpdate(update, sites[0].Headers).Accepted);

        using var http = _host.Server.CreateClient();
        var state = JsonDocument.Parse(await http.GetStringAsync("/api/federation")).RootElement;
        Assert.Equal("clip 1, noise multiplier 0.8", state.GetProperty("rounds")[0].GetProperty("privacy").GetProperty("a").GetString());
        var audit = JsonDocument.Parse(await http.GetStringAsync("/api/federation/audit")).RootElement.EnumerateArray();
        Assert.Contains(audit, e => e.GetProperty("event").GetString() == "update-accepted" && e.GetProperty("detail").GetString()!.EndsWith("differential privacy: clip 1, noise multiplier 0.8", StringComparison.Ordinal));
    }

    [Fact]
    public void A_negative_noise_multiplier_is_rejected()
    {
        var (rounds, sites) = ThreeSitesCheckedIn();
        var task = rounds.GetTask(new TaskRequest(), sites[0].Headers);
        var update = new UpdateRequest { Round = task.Round, SampleCount = 3, DpClipNorm = 1, DpNoiseMultiplier = -0.5 };
        update.Adapters.AddRange(task.GlobalAdapters);
        var reply = rounds.SubmitUpdate(update, sites[0].Headers);
        Assert.False(reply.Accepted);
        Assert.Contains("dp_noise_multiplier", reply.Reason);
    }

    [Fact]
    public async Task Refused_credentials_are_audited_once_per_peer_and_reason_not_once_per_retry()
    {
        var rounds = new Rounds.RoundsClient(_channel);
        var forged = new Metadata { { "authorization", "Bearer mallory.not-a-secret" } };
        for (int i = 0; i < 3; i++) Assert.Equal(StatusCode.Unauthenticated, Assert.Throws<RpcException>(() => rounds.GetTask(new TaskRequest(), forged)).StatusCode);

        using var http = _host.Server.CreateClient();
        var refused = JsonDocument.Parse(await http.GetStringAsync("/api/federation/audit")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("event").GetString() == "authentication-refused").ToList();
        var entry = Assert.Single(refused);
        Assert.Equal("mallory", entry.GetProperty("site").GetString());
        Assert.Contains("GetTask", entry.GetProperty("detail").GetString());
    }

    [Fact]
    public void A_site_configured_with_another_visual_token_pooling_than_the_federation_is_stopped_before_training()
    {
        var registry = new SiteRegistry(Path.Combine(_host.DataDirectory, "sites.json"));
        var credentials = new[] { "a", "b", "c" }.Select(id => registry.Create(id)).ToList();
        var rounds = new Rounds.RoundsClient(_channel);
        foreach (var c in credentials) rounds.GetTask(new TaskRequest(), new Metadata { { "authorization", "Bearer " + c } });
        var (model, _) = ModelCheckpoint.Load(ShippedModel);
        using (model)
        {
            var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 4, ImageTokenPooling = 2 });
            var client = new FederationClient(rounds, new SplitCompute.SplitComputeClient(_channel), credentials[0], Precision.Fp32);
            var tokenizer = TextTokenizer.Load(ShippedModel, model.Config.ImageTokenIndex);
            using var data = LocalData(1);
            var e = Assert.Throws<FederationMismatchException>(() => client.TryRound("a", edge, tokenizer, data, new LocalTrainingOptions { Steps = 1, BatchSize = 1 }, 1));
            Assert.Contains("pooling 1", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, client.SplitServer.BytesUp); // nothing was trained or sent
        }
    }
}
