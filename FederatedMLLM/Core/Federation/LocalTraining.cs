using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>What one site's round of local training produced: the update to upload and the loss per step.</summary>
/// <param name="Update">Adapters, sample count and (when asked) Fisher.</param>
/// <param name="Losses">Training loss per step.</param>
public sealed record LocalResult(SiteUpdate Update, IReadOnlyList<double> Losses);

/// <summary>
/// One round at a site: start from the global adapters, train them by split steps on the site's own QA pairs
/// (with FedProx's proximal term when the aggregator asks for it), then estimate the diagonal empirical Fisher
/// (mean squared per-example gradient) when the aggregator needs it.
/// </summary>
public static class LocalTraining
{
    /// <summary>Runs the round; <paramref name="progress"/> sees every step.</summary>
    public static LocalResult Run(string siteId, NanoEdge edge, TextTokenizer tokenizer, QaDataset data, ISplitServer server, AdapterSet global,
        IAggregator aggregator, LocalTrainingOptions options, int seed, Action<StageProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Samples.Count == 0) throw new ArgumentException($"Site {siteId} has no training samples.", nameof(data));
        var precision = options.ActivationPrecision == "fp16" ? ScalarType.Float16 : ScalarType.Float32;
        edge.Import(global);
        var parameters = edge.Parameters;
        using var optimizer = optim.AdamW(parameters, lr: options.LearningRate, weight_decay: 0);
        var random = new Random(seed);
        var losses = new List<double>(options.Steps);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int step = 0; step < options.Steps; step++)
        {
            var batch = Enumerable.Range(0, options.BatchSize).Select(_ => data.Samples[random.Next(data.Samples.Count)]).ToList();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            double loss = Backpropagate(edge, tokenizer, data, batch, server, options, precision, aggregator.ProximalMu, global);
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
            losses.Add(loss);
            progress?.Invoke(new StageProgress("local", step + 1, options.Steps, loss, watch.Elapsed.TotalSeconds));
        }
        var adapters = options.DpClipNorm > 0 ? Privatise(edge.Export(), global, options, random) : edge.Export();
        AdapterSet? fisher = aggregator.NeedsFisher ? EstimateFisher(edge, tokenizer, data, server, options, precision, random) : null;
        return new LocalResult(new SiteUpdate(siteId, adapters, data.Samples.Count, fisher), losses);
    }

    /// <summary>
    /// The Gaussian mechanism on a round's update: Δ = θ − θ_global clipped to L2 norm C, plus N(0, (σC)²) noise per
    /// parameter; returns θ_global + Δ'.
    /// </summary>
    public static AdapterSet Privatise(AdapterSet trained, AdapterSet global, LocalTrainingOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        double norm = Math.Sqrt(trained.Tensors.Zip(global.Tensors).Sum(p => p.First.Values.Zip(p.Second.Values).Sum(v => (v.First - (double)v.Second) * (v.First - v.Second))));
        double factor = norm > options.DpClipNorm ? options.DpClipNorm / norm : 1;
        double sigma = options.DpNoiseMultiplier * options.DpClipNorm;
        return global.With(global.Tensors.Select((g, k) => g.Values.Select((v, i) =>
        {
            double noise = sigma > 0 ? sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) : 0;
            return (float)(v + factor * (trained.Tensors[k].Values[i] - v) + noise);
        }).ToArray()).ToArray());
    }

    /// <summary>Diagonal empirical Fisher of the adapters: the mean over examples of each parameter's squared gradient.</summary>
    public static AdapterSet EstimateFisher(NanoEdge edge, TextTokenizer tokenizer, QaDataset data, ISplitServer server, LocalTrainingOptions options, ScalarType precision, Random random)
    {
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var parameters = edge.Parameters;
        var sums = parameters.Select(p => new double[p.numel()]).ToArray();
        int count = Math.Min(options.FisherSamples, data.Samples.Count);
        var chosen = data.Samples.OrderBy(_ => random.Next()).Take(count).ToList();
        foreach (var sample in chosen)
        {
            using var scope = NewDisposeScope();
            foreach (var p in parameters) p.grad?.zero_();
            Backpropagate(edge, tokenizer, data, [sample], server, options, precision, 0, null);
            for (int i = 0; i < parameters.Count; i++)
            {
                var g = parameters[i].grad!.cpu().contiguous().data<float>().ToArray();
                for (int k = 0; k < g.Length; k++) sums[i][k] += (double)g[k] * g[k];
            }
        }
        foreach (var p in parameters) p.grad?.zero_();
        var layout = edge.Export();
        return layout.With(sums.Select(s => s.Select(v => (float)(v / count)).ToArray()).ToArray());
    }

    private static double Backpropagate(NanoEdge edge, TextTokenizer tokenizer, QaDataset data, IReadOnlyList<QaSample> batch, ISplitServer server,
        LocalTrainingOptions options, ScalarType precision, double mu, AdapterSet? global)
    {
        var device = edge.Parameters[0].device;
        var (ids, labels) = SequenceBatch.Build(tokenizer, batch, edge.ImageTokenCount, options.MaxLength);
        var images = data.Images.index_select(0, tensor(batch.Select(b => (long)b.Image).ToArray())).to(device);
        return edge.Backpropagate(ids.to(device), images, labels.to(device), server, mu, global, precision);
    }
}
