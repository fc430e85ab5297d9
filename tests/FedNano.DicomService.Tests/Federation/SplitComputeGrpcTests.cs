using FedNano.DicomService.Federation;
using FedNano.DicomService.Tests.Api;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using static TorchSharp.torch;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>Split compute over gRPC against the hosted base model: authenticated sites only, and the same gradients as in process.</summary>
public sealed class SplitComputeGrpcTests : IDisposable
{
    private readonly ApiTestHost _host = new(new Dictionary<string, string?> { ["Reconstruction:AutoReconstruct"] = "false" });
    private readonly GrpcChannel _channel;
    private readonly SiteRegistry _registry;

    public SplitComputeGrpcTests()
    {
        _registry = new SiteRegistry(Path.Combine(_host.DataDirectory, "sites.json"));
        _ = _host.Server; // start the host
        _channel = GrpcChannel.ForAddress(_host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _host.Server.CreateHandler() });
    }

    public void Dispose()
    {
        _channel.Dispose();
        _host.Dispose();
    }

    private static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "radiology-base-small");

    private SplitCompute.SplitComputeClient Client() => new(_channel);

    [Fact]
    public void A_call_without_a_credential_is_refused_as_unauthenticated()
    {
        var error = Assert.Throws<RpcException>(() => Client().GetModelInfo(new ModelInfoRequest()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("no site credential", error.Status.Detail);
    }

    [Fact]
    public void A_wrong_secret_an_unknown_site_and_a_revoked_site_are_refused_with_the_reason()
    {
        var credential = _registry.Create("st-marys");
        var headers = (string c) => new Metadata { { "authorization", "Bearer " + c } };
        Assert.Equal("radiology-base-small", Client().GetModelInfo(new ModelInfoRequest(), headers(credential)).ModelVersion.Split('@')[0]);

        var wrong = Assert.Throws<RpcException>(() => Client().GetModelInfo(new ModelInfoRequest(), headers("st-marys.0000")));
        Assert.Contains("wrong credential for site 'st-marys'", wrong.Status.Detail);
        var unknown = Assert.Throws<RpcException>(() => Client().GetModelInfo(new ModelInfoRequest(), headers("nowhere.abcd")));
        Assert.Contains("unknown site 'nowhere'", unknown.Status.Detail);

        // Revoked through the operator's command while the service runs.
        Assert.Equal(0, SitesCommand.Run(["sites", "revoke", "st-marys"], Path.Combine(_host.DataDirectory, "sites.json"), TextWriter.Null, TextWriter.Null));
        var revoked = Assert.Throws<RpcException>(() => Client().GetModelInfo(new ModelInfoRequest(), headers(credential)));
        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        Assert.Contains("revoked", revoked.Status.Detail);
    }

    [Fact]
    public void A_split_step_over_gRPC_gives_the_gradients_of_the_step_in_process()
    {
        var credential = _registry.Create("site-a");
        var (model, _) = ModelCheckpoint.Load(ShippedModel);
        using (model)
        {
            manual_seed(3);
            var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 4 });
            using (no_grad()) foreach (var p in edge.Parameters) p.normal_(0, 0.05);
            int tokens = model.Config.ImageTokenCount + 6;
            var ids = cat([tensor(new long[] { 1 }), full(model.Config.ImageTokenCount, model.Config.ImageTokenIndex, ScalarType.Int64), tensor(new long[] { 20, 30, 40, 50, 2 })]).unsqueeze(0);
            var labels = ids.clone();
            labels[0, ..(tokens - 3)] = tensor(-100L);
            var images = randn(1, 3, 128, 128);

            using var local = new SplitBlocks(model.LanguageModel);
            double lossLocal = edge.Backpropagate(ids, images, labels, local);
            var expected = edge.Parameters.SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
            foreach (var p in edge.Parameters) p.grad!.zero_();

            var remote = new GrpcSplitServer(Client(), credential);
            double lossRemote = edge.Backpropagate(ids, images, labels, remote);
            var actual = edge.Parameters.SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();

            Assert.Equal(lossLocal, lossRemote, 5);
            double scale = expected.Max(Math.Abs);
            Assert.True(scale > 0);
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale, $"[{i}] {expected[i]} vs {actual[i]}");
            Assert.True(remote.BytesUp > 2L * tokens * model.Config.TextConfig.HiddenSize * 4, $"{remote.BytesUp} bytes up"); // activations + gradients, fp32
        }
    }

    [Fact]
    public void A_malformed_or_non_finite_activation_is_an_invalid_argument_naming_the_problem()
    {
        var headers = new Metadata { { "authorization", "Bearer " + _registry.Create("site-b") } };
        var shortData = new TensorMessage { Precision = Precision.Fp32, Data = Google.Protobuf.ByteString.CopyFrom(new byte[12]) };
        shortData.Shape.AddRange([1, 2, 192]);
        var error = Assert.Throws<RpcException>(() => Client().Forward(new ForwardRequest { InputsEmbeds = shortData }, headers));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("needs 1536 bytes, got 12", error.Status.Detail);

        var nan = TensorCodec.Encode(full(1, 2, 192, float.NaN), Precision.Fp32);
        var nanError = Assert.Throws<RpcException>(() => Client().Forward(new ForwardRequest { InputsEmbeds = nan }, headers));
        Assert.Contains("not finite", nanError.Status.Detail);

        var wrongWidth = TensorCodec.Encode(zeros(1, 2, 7), Precision.Fp32);
        Assert.Contains("192", Assert.Throws<RpcException>(() => Client().Forward(new ForwardRequest { InputsEmbeds = wrongWidth }, headers)).Status.Detail);
    }

    [Fact]
    public void A_site_cannot_finish_another_sites_step()
    {
        var a = new Metadata { { "authorization", "Bearer " + _registry.Create("site-c") } };
        var b = new Metadata { { "authorization", "Bearer " + _registry.Create("site-d") } };
        var step = Client().Forward(new ForwardRequest { InputsEmbeds = TensorCodec.Encode(zeros(1, 3, 192), Precision.Fp16) }, a);
        var error = Assert.Throws<RpcException>(() => Client().Backward(new BackwardRequest { StepId = step.StepId, GradHidden = TensorCodec.Encode(zeros(1, 3, 192), Precision.Fp16) }, b));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var reply = Client().Backward(new BackwardRequest { StepId = step.StepId, GradHidden = TensorCodec.Encode(ones(1, 3, 192), Precision.Fp16) }, a);
        Assert.Equal(new long[] { 1, 3, 192 }, reply.GradInputs.Shape.ToArray());
        Assert.Equal(Precision.Fp16, reply.GradInputs.Precision);
    }
}
