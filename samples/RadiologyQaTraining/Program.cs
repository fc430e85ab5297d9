// The shipped base multimodal model's recipe: synthetic chest CT stacks with reports and QA from the phantoms'
// ground truth, a BPE vocabulary, alignment (reports) then instruction tuning (all questions), QA accuracy on
// held-out phantoms. Writes the model directory (config, fp16 safetensors, tokenizer, MODEL.md, loss curve).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using FedNano.Samples.RadiologyQaTraining;
using SkiaSharp;
using static TorchSharp.torch;

var inv = CultureInfo.InvariantCulture;
string output = Arg("--out") ?? Path.Combine("FederatedMLLM", "Models", "radiology-base-small");
int trainCases = int.Parse(Arg("--train-cases") ?? "2400", inv);
int testCases = int.Parse(Arg("--test-cases") ?? "200", inv);
int extra = int.Parse(Arg("--extra-slices") ?? "2", inv);
int visionSteps = int.Parse(Arg("--vision-steps") ?? "3000", inv);
double visionLr = double.Parse(Arg("--vision-lr") ?? "1e-3", inv);
double visionJitter = double.Parse(Arg("--vision-jitter") ?? "0.1", inv);
int alignSteps = int.Parse(Arg("--align-steps") ?? "300", inv);
int instructSteps = int.Parse(Arg("--instruct-steps") ?? "3000", inv);
int batch = int.Parse(Arg("--batch") ?? "16", inv);
bool balance = args.Contains("--balance-answers"); // draw each answer of a question kind equally often (default: as the data has them)
int seed = int.Parse(Arg("--seed") ?? "7", inv);
string? cache = Arg("--data");
const int TrainSeedBase = 50_000, TestSeedBase = 90_000;
const double NoiseHu = 20;
var spec = new CtInputSpec(); // 3 slices 5 mm apart, 128² over 380 mm, lung window; standardisation measured below
if (args.Contains("--help"))
{
    Console.WriteLine("Usage: FedNano.Samples.RadiologyQaTraining [--out DIR] [--train-cases 2400] [--test-cases 200] [--extra-slices 2] [--vision-steps 3000] [--vision-lr 1e-3] [--vision-jitter 0.1] [--vision-only] [--balance-answers] [--align-steps 300] [--instruct-steps 3000] [--batch 16] [--seed 7] [--data CACHE-DIR]");
    return 0;
}
var total = Stopwatch.StartNew();
manual_seed(seed);

// 1. Data: train and test cases never share a phantom seed.
(QaDataset Train, QaDataset Test) data;
bool cached = false;
if (cache is not null && File.Exists(Path.Combine(cache, "train", QaDataset.SamplesFile)))
{
    data = (QaDataset.Load(Path.Combine(cache, "train")), QaDataset.Load(Path.Combine(cache, "test")));
    Console.Error.WriteLine($"data from {cache}");
    cached = true;
}
else
{
    data = (Build("train", TrainSeedBase, trainCases, seed), Build("test", TestSeedBase, testCases, seed + 1));
    if (cache is not null) { data.Train.Save(Path.Combine(cache, "train")); data.Test.Save(Path.Combine(cache, "test")); }
}
double dataSeconds = total.Elapsed.TotalSeconds;
var windowedTrain = data.Train; // for examples.png
// Standardise with the training pixels' statistics (saved in ct_input.json; the service applies the same).
spec = spec with { PixelMean = Math.Round(data.Train.Images.mean().item<float>(), 4), PixelStd = Math.Round(data.Train.Images.std().item<float>(), 4) };
data = (new QaDataset(spec.Standardise(data.Train.Images), data.Train.Samples), new QaDataset(spec.Standardise(data.Test.Images), data.Test.Samples));
Console.Error.WriteLine(string.Create(inv, $"pixels standardised with mean {spec.PixelMean}, std {spec.PixelStd}"));
Console.Error.WriteLine(string.Create(inv, $"train: {data.Train.Images.shape[0]} images, {data.Train.Samples.Count} QA; test: {data.Test.Images.shape[0]} images, {data.Test.Samples.Count} QA ({dataSeconds:F0} s)"));

// 2. Tokenizer from the training text only.
Directory.CreateDirectory(output);
var corpus = data.Train.Samples.SelectMany(s => new[] { PromptTemplate.Format(s.Question), " " + s.Answer });
int vocabulary = BpeVocabulary.Train(corpus, 600, output);
var tokenizer = TextTokenizer.Load(output, imageTokenId: 4);

// 3. Model.
var config = new MultimodalConfig
{
    VisionConfig = new VisionConfig { HiddenSize = 128, IntermediateSize = 256, NumHiddenLayers = 4, NumAttentionHeads = 4, ImageSize = spec.ImageSize, PatchSize = 16, NumChannels = spec.Slices, HiddenAct = "gelu", PatchEmbeddingType = "conv_stem" },
    TextConfig = new LlamaConfig
    {
        VocabSize = tokenizer.VocabularySize, HiddenSize = 192, IntermediateSize = 512, NumHiddenLayers = 4, NumAttentionHeads = 6, NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 256, TieWordEmbeddings = true, BosTokenId = tokenizer.BosId, EosTokenId = tokenizer.EosId, PadTokenId = tokenizer.PadId,
    },
    ImageTokenIndex = tokenizer.ImageTokenId,
};
using var model = new MultimodalModel(config);
long parameters = model.parameters().Sum(p => p.numel());
Console.Error.WriteLine($"model: {parameters:N0} parameters, vocabulary {vocabulary}, {config.ImageTokenCount} image tokens");

// 4. Training: the vision encoder on finding labels, alignment on reports, then the full question mix.
var losses = new List<(string Stage, double Loss)>();
var trainClock = Stopwatch.StartNew();
using var trainLabels = FindingLabels.From(data.Train);
using var testLabels = FindingLabels.From(data.Test);
WriteExamplesPng(Path.Combine(output, "examples.png"), windowedTrain, trainLabels);
var (visionLosses, probe) = VisionPretrainer.Train(model, data.Train, trainLabels, new VisionStage("vision", visionSteps, visionLr, 32, ShiftPixels: 8, IntensityJitter: visionJitter, MirrorLabels: FindingLabels.Mirror), seed, p =>
{
    if (p.Step % 10 == 0 || p.Step == p.Steps)
        Console.Error.Write(string.Create(inv, $"\r{p.Stage}: step {p.Step}/{p.Steps}, loss {p.Loss:F3}, {p.Seconds:F0} s   "));
});
Console.Error.WriteLine();
losses.AddRange(visionLosses.Select(x => ("vision", x)));
var probeTrain = probe.Accuracy(model, data.Train, trainLabels);
var probeTest = probe.Accuracy(model, data.Test, testLabels);
var prevalence = testLabels.mean([0L]).data<float>().ToArray();
var probeTable = new StringBuilder();
probeTable.AppendLine("| finding (vision encoder + linear probe) | training images | held-out images | held-out prevalence |");
probeTable.AppendLine("|---|---:|---:|---:|");
for (int k = 0; k < FindingLabels.Names.Count; k++)
    probeTable.AppendLine(string.Create(inv, $"| {FindingLabels.Names[k]} | {100 * probeTrain[k]:F1} % | {100 * probeTest[k]:F1} % | {100 * prevalence[k]:F1} % |"));
Console.WriteLine(probeTable);
probe.Dispose();
if (args.Contains("--vision-only")) return 0; // for tuning the encoder stage alone
foreach (var stage in new[]
{
    new TrainingStage("alignment", alignSteps, 2e-3, batch, new HashSet<QuestionType> { QuestionType.Describe }, FreezeVision: true),
    new TrainingStage("instruction", instructSteps, 2e-3, batch, BalanceAnswers: balance, FreezeVision: true),
})
{
    var l = BaseModelTrainer.Train(model, tokenizer, data.Train, stage, seed, progress: p =>
    {
        if (p.Step % 10 == 0 || p.Step == p.Steps)
            Console.Error.Write(string.Create(inv, $"\r{p.Stage}: step {p.Step}/{p.Steps}, loss {p.Loss:F3}, {p.Seconds:F0} s   "));
    });
    Console.Error.WriteLine();
    losses.AddRange(l.Select(x => (stage.Name, x)));
}
double trainSeconds = trainClock.Elapsed.TotalSeconds;

// 5. Save in fp16 and evaluate what was saved.
spec.Save(output);
ModelCheckpoint.Save(model, output, dtype: ScalarType.Float16, metadata: new Dictionary<string, string> { ["recipe"] = "samples/RadiologyQaTraining", ["seed"] = seed.ToString(inv) });
var (shipped, _) = ModelCheckpoint.Load(output);
var evalClock = Stopwatch.StartNew();
var (perType, overall, tokensPerSecond) = QaEvaluation.Evaluate(shipped, tokenizer, data.Test, progress: (d, n) => { if (d % 50 == 0 || d == n) Console.Error.Write($"\revaluating {d}/{n}   "); });
Console.Error.WriteLine();
double evalSeconds = evalClock.Elapsed.TotalSeconds;
WriteLossPng(Path.Combine(output, "loss.png"), losses);

var table = new StringBuilder();
table.AppendLine("| question | n | accuracy | always the most frequent answer |");
table.AppendLine("|---|---:|---:|---:|");
foreach (var p in perType) table.AppendLine(string.Create(inv, $"| {p.Type} | {p.Count} | {100 * p.Accuracy:F1} % | {100 * p.MajorityRate:F1} % |"));
table.AppendLine(string.Create(inv, $"| **all** | {perType.Sum(p => p.Count)} | **{100 * overall:F1} %** | |"));
long bytes = Directory.GetFiles(output, "*.safetensors").Sum(f => new FileInfo(f).Length);
var summary = string.Create(inv, $"""
    Data: {trainCases} training cases (phantom seeds {TrainSeedBase}–{TrainSeedBase + trainCases - 1}) → {data.Train.Images.shape[0]} stacks, {data.Train.Samples.Count} QA; {testCases} held-out cases (seeds {TestSeedBase}–{TestSeedBase + testCases - 1}) → {data.Test.Images.shape[0]} stacks, {data.Test.Samples.Count} QA; {(cached ? "read from the --data cache" : "generated")} in {dataSeconds:F0} s.
    Model: {parameters:N0} parameters ({bytes / 1048576.0:F1} MiB fp16), vocabulary {vocabulary}, {config.ImageTokenCount} image tokens.
    Training: vision encoder {visionSteps} steps (batch 32), alignment {alignSteps} steps + instruction {instructSteps} steps ({(balance ? "answers balanced per question kind" : "answers as frequent as in the data")}), batch {batch}, seed {seed}: {trainSeconds / 60:F1} min on {Environment.ProcessorCount} cores; final losses {losses.Where(l => l.Stage == "alignment").TakeLast(50).Average(l => l.Loss):F3} (alignment, mean of last 50) and {losses.TakeLast(50).Average(l => l.Loss):F3} (instruction).
    Evaluation: greedy answers on the held-out QA in {evalSeconds:F0} s, generation {tokensPerSecond:F0} tokens/s on CPU (one sequence at a time, KV cache).
    """);
Console.WriteLine(table);
Console.WriteLine(summary);
// The model card keeps its hand-written text; only the generated block between the markers is replaced.
var card = Path.Combine(output, "MODEL.md");
var block = "<!-- generated:start -->\n" + probeTable + "\n" + table + "\n" + summary + "\n<!-- generated:end -->";
if (File.Exists(card) && File.ReadAllText(card) is var old && old.Contains("<!-- generated:start -->", StringComparison.Ordinal))
{
    int a = old.IndexOf("<!-- generated:start -->", StringComparison.Ordinal), b = old.IndexOf("<!-- generated:end -->", StringComparison.Ordinal) + "<!-- generated:end -->".Length;
    File.WriteAllText(card, old[..a] + block + old[b..]);
}
else
{
    File.WriteAllText(card, "# radiology-base-small\n\n" + block + "\n");
}
return 0;

QaDataset Build(string name, int seedBase, int cases, int dataSeed)
{
    var slices = new PhantomSlices(spec, NoiseHu);
    var random = new Random(dataSeed);
    var pixels = new List<float[]>();
    var samples = new List<QaSample>();
    var styles = Enum.GetValues<ReportStyle>();
    for (int c = 0; c < cases; c++)
    {
        int caseSeed = seedBase + c;
        foreach (var (image, findings, _) in slices.Stacks(caseSeed, extra, random))
        {
            int index = pixels.Count;
            pixels.Add(image);
            foreach (var qa in QuestionWriter.All(findings, styles[random.Next(styles.Length)], random))
                samples.Add(new QaSample(index, qa.Type, qa.Question, qa.Answer, $"chest-{caseSeed}"));
        }
        Console.Error.Write($"\r{name}: case {c + 1}/{cases}, {pixels.Count} stacks   ");
    }
    Console.Error.WriteLine();
    var flat = pixels.SelectMany(p => p).ToArray();
    return new QaDataset(tensor(flat).reshape(pixels.Count, spec.Slices, spec.ImageSize, spec.ImageSize), samples);
}

static void WriteLossPng(string path, List<(string Stage, double Loss)> losses)
{
    const int W = 900, H = 360, M = 40;
    using var surface = SKSurface.Create(new SKImageInfo(W, H));
    var canvas = surface.Canvas;
    canvas.Clear(SKColors.White);
    double max = Math.Log10(losses.Max(l => l.Loss)), min = Math.Log10(Math.Max(1e-3, losses.Min(l => l.Loss)));
    using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsAntialias = true };
    using var font = new SKFont(SKTypeface.Default, 13);
    using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
    canvas.DrawLine(M, H - M, W - 10, H - M, axis);
    canvas.DrawLine(M, 10, M, H - M, axis);
    var colours = new Dictionary<string, SKColor> { ["vision"] = SKColors.SeaGreen, ["alignment"] = SKColors.SteelBlue, ["instruction"] = SKColors.OrangeRed };
    for (int i = 1; i < losses.Count; i++)
    {
        float X(int k) => M + (float)k / (losses.Count - 1) * (W - M - 10);
        float Y(double v) => (float)(10 + (max - Math.Log10(Math.Max(1e-3, v))) / Math.Max(1e-6, max - min) * (H - M - 10));
        using var line = new SKPaint { Color = colours[losses[i].Stage].WithAlpha(160), StrokeWidth = 1, IsAntialias = true };
        canvas.DrawLine(X(i - 1), Y(losses[i - 1].Loss), X(i), Y(losses[i].Loss), line);
    }
    canvas.DrawText("training loss per step (log scale): vision encoder (green), alignment (blue), instruction tuning (red)", M + 10, 24, font, text);
    using var image = surface.Snapshot();
    using var png = image.Encode(SKEncodedImageFormat.Png, 100);
    using var file = File.Create(path);
    png.SaveTo(file);
}

// A grid of training stacks (middle slice) with their labels: what the encoder has to see.
static void WriteExamplesPng(string path, QaDataset data, Tensor labels)
{
    const int PerRow = 6, Rows = 4, Caption = 16;
    int size = (int)data.Images.shape[2];
    var rows = new[] { ("normal", (Func<float[], bool>)(l => l.All(v => v == 0))), ("nodule", l => l[0] == 1), ("emphysema", l => l[3] == 1), ("effusion", l => l[4] == 1) };
    using var surface = SKSurface.Create(new SKImageInfo(PerRow * size, Rows * (size + Caption)));
    var canvas = surface.Canvas;
    canvas.Clear(SKColors.Black);
    using var font = new SKFont(SKTypeface.Default, 11);
    using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
    long n = data.Images.shape[0];
    for (int r = 0; r < Rows; r++)
    {
        int placed = 0;
        for (long i = 0; i < n && placed < PerRow; i++)
        {
            var l = labels[i].data<float>().ToArray();
            if (!rows[r].Item2(l)) continue;
            var middle = data.Images[i, data.Images.shape[1] / 2].contiguous().data<float>().ToArray();
            using var bitmap = new SKBitmap(size, size, SKColorType.Gray8, SKAlphaType.Opaque);
            var bytes = middle.Select(v => (byte)Math.Clamp(v * 255, 0, 255)).ToArray();
            System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
            canvas.DrawBitmap(bitmap, placed * size, r * (size + Caption) + Caption);
            var names = string.Join(", ", FindingLabels.Names.Where((_, k) => l[k] == 1 && k is not (0 or 3 or 4)));
            canvas.DrawText(rows[r].Item1 + (names.Length > 0 ? " (" + names.Replace("nodule ", "", StringComparison.Ordinal).Replace("effusion ", "", StringComparison.Ordinal) + ")" : ""), placed * size + 2, r * (size + Caption) + 12, font, text);
            placed++;
        }
    }
    using var image = surface.Snapshot();
    using var png = image.Encode(SKEncodedImageFormat.Png, 100);
    using var file = File.Create(path);
    png.SaveTo(file);
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
