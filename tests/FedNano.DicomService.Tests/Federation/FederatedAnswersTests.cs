using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FedNano.Dicom;
using FedNano.DicomService.Federation;
using FedNano.DicomService.Tests.Api;
using FedNano.DicomService.Tests.Reconstruction;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Protocol;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using FedNano.Testing;
using Grpc.Net.Client;
using static TorchSharp.torch;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>The question endpoint answers with the federation's latest global adapters by default; the base model or a site's adapters on request.</summary>
public sealed class FederatedAnswersTests(RawScanFixture scan) : IClassFixture<RawScanFixture>, IDisposable
{
    private readonly TempDirectory _work = new("federated-answers");

    public void Dispose() => _work.Dispose();

    private static async Task<JsonElement> Ask(HttpClient client, string study, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/studies/{study}/questions", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Answers_use_the_latest_global_adapters_and_the_base_model_or_a_sites_adapters_on_request()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?>
        {
            ["Reconstruction:AutoReconstruct"] = "false",
            ["Federation:Aggregator"] = "fedavg",
            ["Federation:Rounds:MinClients"] = "1",
            ["Federation:Rounds:Rounds"] = "1",
            ["Federation:Adapters:Rank"] = "4",
        });
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.TruthSlices)).EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await Ask(client, scan.StudyInstanceUid, new { question = "Is there a pleural effusion?" })).GetProperty("adapterVersion").ValueKind);

        // One round by one site.
        using var channel = GrpcChannel.ForAddress(host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() });
        var credential = new SiteRegistry(Path.Combine(host.DataDirectory, "sites.json")).Create("leeds");
        var data = Path.Combine(_work.Path, "leeds");
        manual_seed(2);
        new QaDataset(randn(2, 3, 128, 128), [new QaSample(0, QuestionType.EffusionPresence, "Is there a pleural effusion?", "yes", "c0"), new QaSample(1, QuestionType.EffusionPresence, "Is there a pleural effusion?", "no", "c1")]).Save(data);
        var agent = new SiteAgent(new SiteAgentOptions
        {
            ServerUrl = host.Server.BaseAddress.ToString(), Credential = credential, DataDirectory = data, OutputDirectory = Path.Combine(_work.Path, "out"),
            Adapters = new NanoAdapterOptions { Rank = 4 }, Training = new LocalTrainingOptions { Steps = 3, BatchSize = 2, LearningRate = 1e-2 },
        });
        Assert.Single(await agent.RunAsync(channel));

        Assert.Equal("global@v1", (await Ask(client, scan.StudyInstanceUid, new { question = "Is there a pleural effusion?" })).GetProperty("adapterVersion").GetString());
        Assert.Equal(JsonValueKind.Null, (await Ask(client, scan.StudyInstanceUid, new { question = "Is there a pleural effusion?", adapter = "none" })).GetProperty("adapterVersion").ValueKind);
        Assert.Equal("site:leeds@r1", (await Ask(client, scan.StudyInstanceUid, new { question = "Is there a pleural effusion?", adapter = "leeds" })).GetProperty("adapterVersion").GetString());

        using var unknown = await client.PostAsJsonAsync($"/api/studies/{scan.StudyInstanceUid}/questions", new { question = "Is there a pleural effusion?", adapter = "york" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("york", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Adapters_trained_with_pooled_image_tokens_answer_with_that_pooling_and_the_base_model_without_it()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?>
        {
            ["Reconstruction:AutoReconstruct"] = "false",
            ["Federation:Aggregator"] = "fedavg",
            ["Federation:Rounds:MinClients"] = "1",
            ["Federation:Rounds:Rounds"] = "1",
            ["Federation:Adapters:Rank"] = "4",
            ["Federation:Adapters:ImageTokenPooling"] = "2",
        });
        using var client = host.Client();
        (await host.StowAsync(client, "/dicomweb/studies", scan.TruthSlices)).EnsureSuccessStatusCode();
        // An open question: its generated report is long enough for the two token poolings to give different text.
        const string Question = "Describe the findings.";
        string baseAnswer = (await Ask(client, scan.StudyInstanceUid, new { question = Question })).GetProperty("answer").GetString()!;

        using var channel = GrpcChannel.ForAddress(host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() });
        var credential = new SiteRegistry(Path.Combine(host.DataDirectory, "sites.json")).Create("leeds");
        var data = Path.Combine(_work.Path, "leeds");
        manual_seed(4);
        new QaDataset(randn(2, 3, 128, 128), [new QaSample(0, QuestionType.EffusionPresence, Question, "yes", "c0"), new QaSample(1, QuestionType.EffusionPresence, Question, "no", "c1")]).Save(data);
        var agent = new SiteAgent(new SiteAgentOptions
        {
            ServerUrl = host.Server.BaseAddress.ToString(), Credential = credential, DataDirectory = data, OutputDirectory = Path.Combine(_work.Path, "out"),
            Adapters = new NanoAdapterOptions { Rank = 4, ImageTokenPooling = 2 }, Training = new LocalTrainingOptions { Steps = 3, BatchSize = 2, LearningRate = 1e-2 },
        });
        Assert.Single(await agent.RunAsync(channel));

        var pooled = await Ask(client, scan.StudyInstanceUid, new { question = Question });
        Assert.Equal("global@v1", pooled.GetProperty("adapterVersion").GetString());
        // The base model again: its own 8 × 8 image tokens, not the pooling the adapters left behind.
        Assert.Equal(baseAnswer, (await Ask(client, scan.StudyInstanceUid, new { question = Question, adapter = "none" })).GetProperty("answer").GetString());

        // The same global adapters installed here with and without their pooling: the service's answer is the pooled one.
        var global = FederationSnapshot.Load(Path.Combine(host.DataDirectory, "federation.json"))!.GlobalAdapters();
        var modelDirectory = Path.Combine(AppContext.BaseDirectory, "models", "radiology-base-small");
        var (model, _) = ModelCheckpoint.Load(modelDirectory);
        using (model)
        {
            var tokenizer = TextTokenizer.Load(modelDirectory, model.Config.ImageTokenIndex);
            var ct = AxialCtSeries.Read(scan.TruthSlices.Select(b => DicomFile.Read(b).Dataset));
            var spec = CtInputSpec.Load(modelDirectory);
            using var images = tensor(SliceStack.Build(ct, spec, ct.MiddleZMm), [1, spec.Slices, spec.ImageSize, spec.ImageSize]);
            string Answer(int pooling)
            {
                NanoAdapterInstaller.Install(model, global, alpha: 16, imageTokenPooling: pooling);
                var prompt = PromptTemplate.Encode(tokenizer, Question, model.ImageTokenCount);
                return TextGenerator.Generate(model, tokenizer, prompt, images, new GenerationOptions { MaxNewTokens = 48 }).Text;
            }
            string withPooling = Answer(2), withoutPooling = Answer(1);
            Assert.NotEqual(withPooling, withoutPooling); // otherwise this test could not tell them apart
            Assert.Equal(withPooling, pooled.GetProperty("answer").GetString());
        }
    }
}
