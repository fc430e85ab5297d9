using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Protocol;
using Grpc.Core;

namespace FedNano.DicomService.Federation;

/// <summary>gRPC rounds: an authenticated site fetches its task and submits its update; the site id comes from its credential, never from the request.</summary>
public sealed class RoundsService(FederationCoordinator coordinator, Microsoft.Extensions.Options.IOptions<FederationOptions> options) : Rounds.RoundsBase
{
    private const int RetryAfterMs = 2000;

    /// <inheritdoc />
    public override Task<TaskReply> GetTask(TaskRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rounds = Coordinator();
        var task = rounds.TaskFor(SiteAuthentication.SiteOf(context));
        if (task is null) return Task.FromResult(new TaskReply { HasTask = false, Finished = rounds.Finished, RetryAfterMs = RetryAfterMs, GlobalVersion = rounds.Global.Version });
        var reply = new TaskReply
        {
            HasTask = true, Round = task.Round, GlobalVersion = task.GlobalVersion, Aggregator = task.Aggregator, NeedsFisher = task.NeedsFisher,
            ProximalMu = task.ProximalMu, DeadlineUnixMs = task.DeadlineUtc.ToUnixTimeMilliseconds(), RetryAfterMs = RetryAfterMs,
            ImageTokenPooling = options.Value.Adapters.ImageTokenPooling,
        };
        reply.GlobalAdapters.AddRange(AdapterCodec.Encode(task.Global));
        return Task.FromResult(reply);
    }

    /// <inheritdoc />
    public override Task<UpdateReply> SubmitUpdate(UpdateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var site = SiteAuthentication.SiteOf(context);
        var rounds = Coordinator();
        AdapterSet adapters;
        AdapterSet? fisher;
        try
        {
            adapters = AdapterCodec.Decode(request.Adapters);
            fisher = request.Fisher.Count == 0 ? null : AdapterCodec.Decode(request.Fisher);
        }
        catch (FormatException e)
        {
            // Malformed on the wire: recorded like any rejected update, so the round does not wait for it.
            var rejected = rounds.Submit(request.Round, new SiteUpdate(site, new AdapterSet([]), Math.Max(1, request.SampleCount)));
            return Task.FromResult(new UpdateReply { Accepted = false, Reason = $"{e.Message} ({rejected.Reason})", GlobalVersion = rounds.Global.Version });
        }
        if (!(request.DpClipNorm >= 0) || !(request.DpNoiseMultiplier >= 0) || !double.IsFinite(request.DpClipNorm) || !double.IsFinite(request.DpNoiseMultiplier))
        {
            var rejected = rounds.Submit(request.Round, new SiteUpdate(site, new AdapterSet([]), Math.Max(1, request.SampleCount)));
            return Task.FromResult(new UpdateReply { Accepted = false, Reason = $"dp_clip_norm and dp_noise_multiplier must be finite and ≥ 0 ({rejected.Reason})", GlobalVersion = rounds.Global.Version });
        }
        var verdict = rounds.Submit(request.Round, new SiteUpdate(site, adapters, request.SampleCount, fisher, request.DpClipNorm, request.DpNoiseMultiplier));
        if (verdict.Accepted) rounds.ReportLoss(request.Round, site, request.LocalLoss);
        return Task.FromResult(new UpdateReply { Accepted = verdict.Accepted, Reason = verdict.Reason ?? "", GlobalVersion = rounds.Global.Version });
    }

    private RoundsCoordinator Coordinator()
    {
        try
        {
            return coordinator.Get();
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }
}
