using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using Grpc.Core;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>What one call of <see cref="FederationClient.TryRound"/> did.</summary>
/// <param name="Round">The round trained, or 0 when there was no task.</param>
/// <param name="Accepted">Whether the server accepted the update.</param>
/// <param name="Reason">Why not.</param>
/// <param name="GlobalVersion">The server's global version after the call.</param>
/// <param name="Finished">The federation has run all its rounds.</param>
/// <param name="RetryAfter">When to ask again.</param>
/// <param name="Losses">Local loss per step (empty without a task).</param>
public sealed record RoundOutcome(int Round, bool Accepted, string? Reason, string GlobalVersion, bool Finished, TimeSpan RetryAfter, IReadOnlyList<double> Losses);

/// <summary>
/// A site's side of the federation over gRPC: asks for its task, trains its NanoAdapters locally by split steps
/// against the server's blocks, and submits the update (with Fisher when asked). Only adapters, Fisher, sample
/// counts, activations and gradients leave the site; images, reports, labels and the loss do not.
/// </summary>
public sealed class FederationClient(Rounds.RoundsClient rounds, SplitCompute.SplitComputeClient split, string credential, Precision activationPrecision = Precision.Fp32)
{
    private readonly Metadata _headers = new() { { "authorization", "Bearer " + credential } };

    /// <summary>The split server this client trains against (its byte counters measure activation traffic).</summary>
    public GrpcSplitServer SplitServer { get; } = new(split, credential, activationPrecision);

    /// <summary>Bytes of updates uploaded so far (adapters, Fisher and the message around them).</summary>
    public long UpdateBytesUp { get; private set; }

    /// <summary>Of <see cref="UpdateBytesUp"/>, the adapter tensors.</summary>
    public long AdapterBytesUp { get; private set; }

    /// <summary>Of <see cref="UpdateBytesUp"/>, the Fisher tensors (Fisher merging only).</summary>
    public long FisherBytesUp { get; private set; }

    /// <summary>Bytes of global adapters downloaded so far.</summary>
    public long AdapterBytesDown { get; private set; }

    /// <summary>One attempt: a round's training and submission when the server has a task for this site.</summary>
    public RoundOutcome TryRound(string siteId, NanoEdge edge, TextTokenizer tokenizer, QaDataset data, LocalTrainingOptions options, int seed, Action<StageProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(edge);
        var task = rounds.GetTask(new TaskRequest(), _headers);
        var retry = TimeSpan.FromMilliseconds(Math.Max(100, task.RetryAfterMs));
        if (!task.HasTask) return new RoundOutcome(0, false, null, task.GlobalVersion, task.Finished, retry, []);
        AdapterBytesDown += task.CalculateSize();
        int serverPooling = Math.Max(1, task.ImageTokenPooling);
        if (serverPooling != edge.ImageTokenPooling)
            throw new FederationMismatchException($"The federation trains with visual-token pooling {serverPooling}; this site is configured with {edge.ImageTokenPooling} (Adapters:ImageTokenPooling).");
        var global = AdapterCodec.Decode(task.GlobalAdapters);
        IAggregator aggregator = task.NeedsFisher ? new FisherMerge() : task.ProximalMu > 0 ? new FedProx(task.ProximalMu) : new FedAvg();
        var result = LocalTraining.Run(siteId, edge, tokenizer, data, SplitServer, global, aggregator, options, seed + task.Round, progress);
        var request = new UpdateRequest
        {
            Round = task.Round, SampleCount = result.Update.SampleCount, LocalLoss = result.Losses.Count > 0 ? result.Losses[^1] : 0,
            DpClipNorm = options.DpClipNorm, DpNoiseMultiplier = options.DpClipNorm > 0 ? options.DpNoiseMultiplier : 0,
        };
        request.Adapters.AddRange(AdapterCodec.Encode(result.Update.Adapters));
        if (result.Update.Fisher is { } fisher) request.Fisher.AddRange(AdapterCodec.Encode(fisher));
        UpdateBytesUp += request.CalculateSize();
        AdapterBytesUp += request.Adapters.Sum(t => (long)t.CalculateSize());
        FisherBytesUp += request.Fisher.Sum(t => (long)t.CalculateSize());
        var reply = rounds.SubmitUpdate(request, _headers);
        return new RoundOutcome(task.Round, reply.Accepted, reply.Accepted ? null : reply.Reason, reply.GlobalVersion, false, retry, result.Losses);
    }
}
