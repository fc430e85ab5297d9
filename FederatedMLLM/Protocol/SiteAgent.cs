using System.Globalization;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using Grpc.Core;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>
/// The hospital site agent: joins the federation with its credential, runs every round it is selected for on its
/// own data, and keeps only its adapters (<c>adapters-rN.json</c>) and metrics (<c>metrics.csv</c>) locally. Network
/// failures are retried with backoff; a refused credential stops it at once.
/// </summary>
/// <param name="options">The agent's settings.</param>
/// <param name="pacsHandler">Transport to the site's PACS in place of the default one (tests, a site's proxy).</param>
public sealed class SiteAgent(SiteAgentOptions options, HttpMessageHandler? pacsHandler = null)
{
    private readonly SiteAgentOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Runs until the federation is finished; returns the rounds this site trained.</summary>
    /// <exception cref="RpcException">The server refused the credential, or the network failed more than MaxRetries times in a row.</exception>
    public async Task<IReadOnlyList<RoundOutcome>> RunAsync(ChannelBase channel, Action<string>? log = null, Action<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _options.Validate();
        var modelDirectory = Path.IsPathRooted(_options.ModelDirectory) ? _options.ModelDirectory : Path.Combine(AppContext.BaseDirectory, _options.ModelDirectory);
        var (model, _) = ModelCheckpoint.Load(modelDirectory);
        using (model)
        {
            var tokenizer = TextTokenizer.Load(modelDirectory, model.Config.ImageTokenIndex);
            using var data = await LoadDataAsync(modelDirectory, log, cancellationToken).ConfigureAwait(false);
            var edge = new NanoEdge(model, _options.Adapters);
            var precision = _options.Training.ActivationPrecision == "fp16" ? Precision.Fp16 : Precision.Fp32;
            var client = new FederationClient(new Rounds.RoundsClient(channel), new SplitCompute.SplitComputeClient(channel), _options.Credential, precision);
            Directory.CreateDirectory(_options.OutputDirectory);
            var metrics = Path.Combine(_options.OutputDirectory, "metrics.csv");
            if (!File.Exists(metrics)) File.WriteAllText(metrics, "round,accepted,first_loss,last_loss,global_version,activation_bytes_up,activation_bytes_down,update_bytes_up,dp_noise_multiplier,adapter_bytes_up,fisher_bytes_up,adapter_bytes_down,train_seconds\n");
            log?.Invoke($"site {_options.SiteId}: {data.Samples.Count} local QA pairs, {edge.Export().ParameterCount} adapter parameters{(_options.Training.DpNoiseMultiplier > 0 ? $", differential privacy: clip {_options.Training.DpClipNorm}, noise multiplier {_options.Training.DpNoiseMultiplier}" : "")}");
            var outcomes = new List<RoundOutcome>();
            int failures = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                RoundOutcome outcome;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    outcome = client.TryRound(_options.SiteId, edge, tokenizer, data, _options.Training, _options.Seed, progress);
                    failures = 0;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown && failures < _options.MaxRetries)
                {
                    failures++;
                    var delay = TimeSpan.FromSeconds(Math.Min(60, _options.RetryDelaySeconds * Math.Pow(2, failures - 1)));
                    log?.Invoke($"server unreachable ({e.Status.Detail}); retry {failures}/{_options.MaxRetries} in {delay.TotalSeconds:F0} s");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (outcome.Finished) { log?.Invoke($"federation finished at global {outcome.GlobalVersion}"); break; }
                if (outcome.Round == 0) { await Task.Delay(outcome.RetryAfter, cancellationToken).ConfigureAwait(false); continue; }
                outcomes.Add(outcome);
                File.WriteAllText(Path.Combine(_options.OutputDirectory, $"adapters-r{outcome.Round}.json"), System.Text.Json.JsonSerializer.Serialize(edge.Export().Tensors));
                File.AppendAllText(metrics, string.Create(CultureInfo.InvariantCulture,
                    $"{outcome.Round},{outcome.Accepted},{outcome.Losses[0]:G6},{outcome.Losses[^1]:G6},{outcome.GlobalVersion},{client.SplitServer.BytesUp},{client.SplitServer.BytesDown},{client.UpdateBytesUp},{_options.Training.DpNoiseMultiplier},{client.AdapterBytesUp},{client.FisherBytesUp},{client.AdapterBytesDown},{watch.Elapsed.TotalSeconds:F2}\n"));
                log?.Invoke(outcome.Accepted
                    ? $"round {outcome.Round}: update accepted (local loss {outcome.Losses[0]:F3} → {outcome.Losses[^1]:F3}), global now {outcome.GlobalVersion}"
                    : $"round {outcome.Round}: update rejected: {outcome.Reason}");
            }
            return outcomes;
        }
    }

    private async Task<QaDataset> LoadDataAsync(string modelDirectory, Action<string>? log, CancellationToken cancellationToken)
    {
        if (_options.DataFormat == "dicomweb")
        {
            using var pacs = new SitePacsClient(_options.Pacs, pacsHandler);
            var fromPacs = await PacsSiteStudies.LoadAsync(pacs, _options.Pacs, CtInputSpec.Load(modelDirectory), _options.Seed, log, cancellationToken).ConfigureAwait(false);
            log?.Invoke($"site data: {fromPacs.Series} reported CT series from the PACS" + Skipped(fromPacs.Skipped));
            return fromPacs.Data;
        }
        bool qa = _options.DataFormat == "qa-dataset" || (_options.DataFormat == "auto" && File.Exists(Path.Combine(_options.DataDirectory, QaDataset.SamplesFile)));
        if (qa) return QaDataset.Load(_options.DataDirectory);
        var result = SiteStudies.LoadFolder(_options.DataDirectory, CtInputSpec.Load(modelDirectory), _options.Seed);
        log?.Invoke($"site data: {result.Series} reported CT series from {_options.DataDirectory}" + Skipped(result.Skipped));
        return result.Data;
    }

    private static string Skipped(IReadOnlyList<string> skipped) =>
        skipped.Count > 0 ? $", {skipped.Count} left out: {string.Join("; ", skipped.Take(5))}{(skipped.Count > 5 ? "; …" : "")}" : "";
}
