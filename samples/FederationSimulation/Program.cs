// FedNano on loopback: N hospital sites with non-IID data run fednano-site processes against the service process.
// Compares zero-shot, local-only, FedAvg, FedProx, FedNano-Fisher and centralised adapters and writes RESULTS.md.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using FedNano.Samples.FederationSimulation;
using static TorchSharp.torch;

var inv = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = inv;
if (args.Contains("--help"))
{
    Console.WriteLine("Usage: FedNano.Samples.FederationSimulation [--sites 3] [--cases 240] [--rounds 4] [--steps 30] [--batch 8] [--lr 3e-3] [--rank 8] [--adapter-alpha 16] [--dirichlet-alpha 0.5] [--test-fraction 0.3] [--min-noise-hu 10] [--max-noise-hu 60] [--fedprox-mu 0.01] [--fisher-samples 32] [--precision fp16] [--seed 11] [--methods zero-shot,local,fedavg,fedprox,fisher,fisher-pooled,centralised] [--work DIR] [--out RESULTS.md]");
    return 0;
}
var settings = SimulationSettings.Parse(args, out var other);
string output = other.GetValueOrDefault("out") ?? Path.Combine("samples", "FederationSimulation", "RESULTS.md");
string work = Path.GetFullPath(other.GetValueOrDefault("work") ?? Path.Combine(Path.GetTempPath(), "fednano-federation-simulation"));
var methods = (other.GetValueOrDefault("methods") ?? "zero-shot,local,fedavg,fedprox,fisher,fisher-pooled,centralised").Split(',');
var total = Stopwatch.StartNew();
void Log(string line) => Console.Error.WriteLine($"[{total.Elapsed.TotalSeconds,6:F0} s] {line}");

var modelDirectory = Path.Combine(AppContext.BaseDirectory, "models", "radiology-base-small");
var spec = CtInputSpec.Load(modelDirectory);
MultimodalModel LoadModel() => ModelCheckpoint.Load(modelDirectory).Item1;
using var reference = LoadModel();
var tokenizer = TextTokenizer.Load(modelDirectory, reference.Config.ImageTokenIndex);
var adapterOptions = new NanoAdapterOptions { Rank = settings.Rank, Alpha = settings.AdapterAlpha };

// 1. The sites' data, as DICOM CT series and reports, read back the way fednano-site reads them.
string[] siteIds = Enumerable.Range(0, settings.Sites).Select(i => $"site-{(char)('a' + i)}").ToArray();
double[] noise = Enumerable.Range(0, settings.Sites).Select(i => settings.MinNoiseHu + (settings.MaxNoiseHu - settings.MinNoiseHu) * i / (settings.Sites - 1)).ToArray();
if (Directory.Exists(Path.Combine(work, "sites"))) Directory.Delete(Path.Combine(work, "sites"), recursive: true);
var sites = SiteCohort.Write(Path.Combine(work, "sites"), siteIds, noise, settings.Cases, 70_000, settings.ExtraSlices, settings.DirichletAlpha, settings.TestFraction, settings.Seed, spec, Log);
var train = sites.ToDictionary(s => s.Id, s => SiteStudies.LoadFolder(s.TrainDirectory, spec, settings.Seed).Data);
var test = sites.ToDictionary(s => s.Id, s => SiteStudies.LoadFolder(s.TestDirectory, spec, settings.Seed + 1).Data);
foreach (var s in sites) Log($"{s.Id}: {train[s.Id].Images.shape[0]} training stacks / {train[s.Id].Samples.Count} QA, {test[s.Id].Images.shape[0]} test stacks / {test[s.Id].Samples.Count} QA");
double dataSeconds = total.Elapsed.TotalSeconds;

// 2. The methods.
var accuracy = new Dictionary<string, Dictionary<string, IReadOnlyList<QaAccuracy>>>(); // method → site → per type
var secondsPerRound = new Dictionary<string, double>();
var federated = new Dictionary<string, FederatedRunResult>();
string[] fedMethods = ["fedavg", "fedprox", "fisher", "fisher-pooled"];
// fisher-pooled: Fisher merging with 2 × 2 visual-token pooling at the server and every site (a quarter of the image activations on the wire).
const int PooledTokens = 2;
var names = new Dictionary<string, string>
{
    ["zero-shot"] = "zero-shot base", ["local"] = "local-only", ["fedavg"] = "FedAvg", ["fedprox"] = "FedProx", ["fisher"] = "FedNano-Fisher", ["fisher-pooled"] = "FedNano-Fisher, 2×2 token pooling", ["centralised"] = "centralised (pooled data)",
};

Dictionary<string, IReadOnlyList<QaAccuracy>> EvaluateAll(MultimodalModel model, IEnumerable<string> which)
{
    var result = new Dictionary<string, IReadOnlyList<QaAccuracy>>();
    foreach (var id in which)
    {
        var (perType, _, _) = QaEvaluation.Evaluate(model, tokenizer, test[id]);
        result[id] = perType;
    }
    return result;
}

// Local training in this process against the blocks in this process (the same arithmetic as over gRPC).
double TrainRounds(MultimodalModel model, QaDataset data, string id, int steps, int seed)
{
    manual_seed(seed);
    var edge = new NanoEdge(model, adapterOptions);
    using var blocks = new SplitBlocks(model.LanguageModel);
    var options = new LocalTrainingOptions { Steps = steps, BatchSize = settings.BatchSize, LearningRate = settings.LearningRate, ActivationPrecision = settings.ActivationPrecision };
    var watch = Stopwatch.StartNew();
    for (int r = 1; r <= settings.Rounds; r++)
    {
        var result = LocalTraining.Run(id, edge, tokenizer, data, blocks, edge.Export(), new FedAvg(), options, seed + r);
        Log($"  {id} round {r}: loss {result.Losses[0]:F3} → {result.Losses[^1]:F3}");
    }
    return watch.Elapsed.TotalSeconds / settings.Rounds;
}

foreach (var method in methods)
{
    Log($"method {method}");
    if (method == "zero-shot")
    {
        NanoAdapterInstaller.Install(reference, null, 1);
        accuracy[method] = EvaluateAll(reference, siteIds);
    }
    else if (method == "local")
    {
        accuracy[method] = [];
        var seconds = new List<double>();
        foreach (var (id, i) in siteIds.Select((id, i) => (id, i)))
        {
            using var model = LoadModel();
            seconds.Add(TrainRounds(model, train[id], id, settings.Steps, settings.Seed + 100 * i));
            accuracy[method][id] = EvaluateAll(model, [id])[id];
        }
        secondsPerRound[method] = seconds.Average();
    }
    else if (method == "centralised")
    {
        using var pooled = Pool(siteIds.Select(id => train[id]).ToList());
        using var model = LoadModel();
        secondsPerRound[method] = TrainRounds(model, pooled, "pooled", settings.Steps * settings.Sites, settings.Seed);
        accuracy[method] = EvaluateAll(model, siteIds);
    }
    else if (fedMethods.Contains(method))
    {
        int pooling = method == "fisher-pooled" ? PooledTokens : 1;
        var run = await FederatedRun.RunAsync(method, method.Replace("-pooled", "", StringComparison.Ordinal), pooling, sites, settings, work, Log);
        federated[method] = run;
        secondsPerRound[method] = run.Rounds.Where(r => r.ClosedUtc is not null).Average(r => (r.ClosedUtc!.Value - r.OpenedUtc).TotalSeconds);
        using var model = LoadModel();
        NanoAdapterInstaller.Install(model, run.Global, settings.AdapterAlpha, pooling);
        accuracy[method] = EvaluateAll(model, siteIds);
    }
    else throw new ArgumentException($"Unknown method '{method}'.");
    Log($"  {names[method]}: " + string.Join(", ", accuracy[method].Select(a => $"{a.Key} {100 * Share(a.Value):F1} %")));
}

// 3. RESULTS.md.
var md = new StringBuilder();
// The scratch folder and the output path do not change the results, so the command is recorded without them.
var recorded = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--work" or "--out") { i++; continue; }
    recorded.Add(args[i]);
}
md.AppendLine("Regenerated by `dotnet run -c Release --project samples/FederationSimulation" + (recorded.Count > 0 ? " -- " + string.Join(' ', recorded) : "") + "`" + $" on {Environment.ProcessorCount} CPU cores, {DateTime.UtcNow:yyyy-MM-dd}. Total {total.Elapsed.TotalMinutes:F1} min (data {dataSeconds:F0} s).");
md.AppendLine();
md.AppendLine(string.Create(inv, $"Settings: {settings.Sites} sites, {settings.Cases} phantom patients split non-IID by main finding (Dirichlet α = {settings.DirichletAlpha}), {100 * settings.TestFraction:F0} % of each site's patients held out; {settings.Rounds} rounds × {settings.Steps} local steps of batch {settings.BatchSize}, AdamW lr {settings.LearningRate}; NanoAdapters rank {settings.Rank}, α {settings.AdapterAlpha} on image tokens and text embeddings; FedProx μ {settings.FedProxMu}; Fisher from {settings.FisherSamples} samples; activations {settings.ActivationPrecision}; seed {settings.Seed}. Base model: `radiology-base-small` (frozen)."));
md.AppendLine();
md.AppendLine("Every site keeps its data as DICOM CT series (3 axial slices, the stack its report describes) with reports; `fednano-site` reads them (`DataFormat=dicom`), writes its questions from what the reports say, and trains against the service process over h2c gRPC. Local-only and centralised training run in this process with the same code (`LocalTraining` against `SplitBlocks`); centralised trains on the pooled training sets for as many steps as all sites together.");
md.AppendLine();
md.AppendLine("## Sites");
md.AppendLine();
md.AppendLine("| site | patients (train + test) | main finding of its patients | image noise σ | report style | training QA | test QA |");
md.AppendLine("|---|---:|---|---:|---|---:|---:|");
foreach (var s in sites)
    md.AppendLine(string.Create(inv, $"| {s.Id} | {s.TrainCases} + {s.TestCases} | {string.Join(", ", s.CaseKinds.Where(k => k.Value > 0).Select(k => $"{k.Key} {k.Value}"))} | {s.NoiseHu:F0} HU | {s.Style}{(s.SrReports ? " (Basic Text SR)" : " (text files)")} | {train[s.Id].Samples.Count} | {test[s.Id].Samples.Count} |"));
md.AppendLine();
md.AppendLine("## QA accuracy on each site's held-out patients");
md.AppendLine();
md.AppendLine("| method | " + string.Join(" | ", siteIds) + " | all sites |");
md.AppendLine("|---|" + string.Concat(siteIds.Select(_ => "---:|")) + "---:|");
foreach (var (method, bySite) in accuracy)
    md.AppendLine($"| {names[method]} | " + string.Join(" | ", siteIds.Select(id => bySite.TryGetValue(id, out var a) ? string.Create(inv, $"{100 * Share(a):F1} %") : "")) + string.Create(inv, $" | **{100 * Share(bySite.Values.SelectMany(v => v).ToList()):F1} %** |"));
md.AppendLine();
var chart = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "accuracy.png");
Directory.CreateDirectory(Path.GetDirectoryName(chart)!);
AccuracyChart.Write(chart, accuracy.Keys.Select(m => names[m]).ToList(), [.. siteIds, "all sites"],
    accuracy.Values.Select(bySite => siteIds.Select(id => bySite.TryGetValue(id, out var a) ? Share(a) : double.NaN).Append(Share(bySite.Values.SelectMany(v => v).ToList())).ToArray()).ToArray());
md.AppendLine();
md.AppendLine("![QA accuracy per site and method](accuracy.png)");
md.AppendLine();
int allQuestions = siteIds.Sum(id => test[id].Samples.Count);
double pAll = Share(accuracy.Values.First().Values.SelectMany(v => v).ToList());
md.AppendLine(string.Create(inv, $"Local-only: each site's own adapters on its own test patients. \"all sites\": every test question of every site counted once ({allQuestions} questions; at {100 * pAll:F0} % the binomial 95 % interval is ±{196 * Math.Sqrt(pAll * (1 - pAll) / allQuestions):F1} points, and ±{196 * Math.Sqrt(pAll * (1 - pAll) / siteIds.Min(id => test[id].Samples.Count)):F1} on the smallest site, so smaller differences are noise)."));
md.AppendLine();
md.AppendLine("Per question kind, all sites:");
md.AppendLine();
var types = accuracy.Values.First().Values.SelectMany(v => v).Select(a => a.Type).Distinct().Order().ToList();
md.AppendLine("| question | n | " + string.Join(" | ", accuracy.Keys.Select(m => names[m])) + " |");
md.AppendLine("|---|---:|" + string.Concat(accuracy.Keys.Select(_ => "---:|")));
foreach (var type in types)
{
    int n = accuracy.Values.First().Values.SelectMany(v => v).Where(a => a.Type == type).Sum(a => a.Count);
    md.AppendLine($"| {type} | {n} | " + string.Join(" | ", accuracy.Values.Select(bySite => string.Create(inv, $"{100 * Share(bySite.Values.SelectMany(v => v).Where(a => a.Type == type).ToList()):F1} %"))) + " |");
}
md.AppendLine();
md.AppendLine("## Communication per round and site (measured on the wire)");
md.AppendLine();
md.AppendLine("| method | activations up | activations down | adapters up | Fisher up | global adapters down | total | activations per training sample and step |");
md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (method, run) in federated)
{
    var t = run.Traffic;
    double Mean(Func<SiteRoundTraffic, long> f) => t.Average(x => (double)f(x));
    double sum = Mean(x => x.ActivationBytesUp + x.ActivationBytesDown + x.AdapterBytesUp + x.FisherBytesUp + x.AdapterBytesDown);
    double perSample = (Mean(x => x.ActivationBytesUp) + Mean(x => x.ActivationBytesDown)) / (settings.Steps * settings.BatchSize + (method.StartsWith("fisher", StringComparison.Ordinal) ? settings.FisherSamples : 0));
    md.AppendLine($"| {names[method]} | {Bytes(Mean(x => x.ActivationBytesUp))} | {Bytes(Mean(x => x.ActivationBytesDown))} | {Bytes(Mean(x => x.AdapterBytesUp))} | {Bytes(Mean(x => x.FisherBytesUp))} | {Bytes(Mean(x => x.AdapterBytesDown))} | {Bytes(sum)} | {Bytes(perSample)} |");
}
md.AppendLine();
var small = FederationCosts.Of(reference.Config, adapterOptions, tokens: 160, activationBytes: settings.ActivationPrecision == "fp16" ? 2 : 4);
long adapterParameters = small.AdapterParameters;
md.AppendLine(string.Create(inv, $"The adapters are {adapterParameters:N0} parameters ({Bytes(adapterParameters * 4.0)} as fp32). In the U-shaped split the activations dominate: every step sends the embedded sequence up and its gradient back, and receives the blocks' output and sends its gradient (4 × tokens × width × bytes per sample). Fisher merging also needs per-sample gradients for its Fisher estimate ({settings.FisherSamples} more single-sample passes through the split per round), hence its larger activation traffic and longer rounds."));
md.AppendLine();
md.AppendLine("## Wall time per round");
md.AppendLine();
md.AppendLine("| method | seconds per round |");
md.AppendLine("|---|---:|");
foreach (var (method, seconds) in secondsPerRound) md.AppendLine(string.Create(inv, $"| {names[method]} | {seconds:F1} |"));
md.AppendLine();
md.AppendLine(string.Create(inv, $"Federated rounds: the server's round records (opened → aggregated), {settings.Sites} site processes and the service sharing {Environment.ProcessorCount} cores. Local-only: mean per site, one after the other; centralised: {settings.Sites}× the steps in one process."));
md.AppendLine();
md.AppendLine("## Client storage and communication versus the full model");
md.AppendLine();
var llava = FederationCosts.Of(Llava7B(), new NanoAdapterOptions { Rank = 48 }, tokens: 640, activationBytes: 2);
md.AppendLine("| model | full parameters | held at a site | share | uploaded per round (adapters) | share | activations per sample and step (fp16) |");
md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
md.AppendLine(string.Create(inv, $"| radiology-base-small, rank {settings.Rank} (this run) | {small.FullParameters:N0} | {small.ClientParameters:N0} | {100 * small.StorageFraction:F1} % | {small.AdapterParameters:N0} | {100 * small.CommunicationFraction:F2} % | {Bytes(FederationCosts.Of(reference.Config, adapterOptions, 160, 2).ActivationBytesPerSample)} (160 tokens, the local MaxLength) |"));
md.AppendLine(string.Create(inv, $"| LLaVA-1.5-7B, rank 48 | {llava.FullParameters:N0} | {llava.ClientParameters:N0} | {100 * llava.StorageFraction:F1} % | {llava.AdapterParameters:N0} | {100 * llava.CommunicationFraction:F3} % | {Bytes(llava.ActivationBytesPerSample)} (640 tokens) |"));
md.AppendLine();
md.AppendLine("The FedNano paper reports −95 % client storage and ≈ 0.01 % communication for LLaVA-1.5-7B. The upload matches (0.011 %). The storage figure counts the vision encoder and connector only; in the U-shaped split a site also holds the token embeddings and the LM head (131 M parameters each for LLaVA), so it keeps 8.3 % of the model (−91.7 %). The split's price is the activation traffic in the last column, which the 0.01 % does not include; in the small model here the activations are most of the bytes on the wire (table above).");
// RESULTS.md keeps its hand-written reading of the numbers; only the generated block between the markers is replaced.
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
var block = "<!-- generated:start -->\n" + md + "<!-- generated:end -->";
if (File.Exists(output) && File.ReadAllText(output) is var old && old.Contains("<!-- generated:start -->", StringComparison.Ordinal) && old.Contains("<!-- generated:end -->", StringComparison.Ordinal))
{
    int a = old.IndexOf("<!-- generated:start -->", StringComparison.Ordinal), b = old.IndexOf("<!-- generated:end -->", StringComparison.Ordinal) + "<!-- generated:end -->".Length;
    File.WriteAllText(output, old[..a] + block + old[b..]);
}
else
{
    File.WriteAllText(output, "# FedNano federation simulation — results\n\n" + block + "\n");
}
Console.WriteLine(md);
Log($"wrote {output}");
return 0;

static double Share(IReadOnlyCollection<QaAccuracy> list) => list.Sum(a => a.Count) == 0 ? 0 : (double)list.Sum(a => a.Correct) / list.Sum(a => a.Count);

static string Bytes(double b) => b >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{b / (1 << 20):F2} MiB") : b >= 1 << 10 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1024:F1} KiB") : string.Create(CultureInfo.InvariantCulture, $"{b:F0} B");

static QaDataset Pool(IReadOnlyList<QaDataset> parts)
{
    var samples = new List<QaSample>();
    int offset = 0;
    foreach (var p in parts)
    {
        samples.AddRange(p.Samples.Select(s => s with { Image = s.Image + offset }));
        offset += (int)p.Images.shape[0];
    }
    return new QaDataset(cat(parts.Select(p => p.Images).ToArray(), 0), samples);
}

// LLaVA-1.5-7B's shape (llava-hf/llava-1.5-7b-hf config): CLIP ViT-L/14 at 336 px, a 4096-wide LLaMA-2-7B, 32 064 tokens.
static MultimodalConfig Llava7B() => new()
{
    VisionConfig = new VisionConfig { HiddenSize = 1024, IntermediateSize = 4096, NumHiddenLayers = 24, NumAttentionHeads = 16, ImageSize = 336, PatchSize = 14 },
    TextConfig = new LlamaConfig { VocabSize = 32064, HiddenSize = 4096, IntermediateSize = 11008, NumHiddenLayers = 32, NumAttentionHeads = 32, NumKeyValueHeads = 32, MaxPositionEmbeddings = 4096 },
    ImageTokenIndex = 32000,
};
