using System.Collections.Concurrent;
using FedNano.FederatedMLLM.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace FedNano.DicomService.Federation;

/// <summary>
/// gRPC split compute: runs an authenticated site's activations through the frozen blocks and its gradients back.
/// A step belongs to the site that opened it; a site keeps at most <see cref="FederationOptions.MaxPendingStepsPerSite"/>
/// open steps (the oldest are dropped, so a site that vanishes mid-step cannot exhaust the server's memory).
/// </summary>
public sealed class SplitComputeService(FederationModel model, IOptions<FederationOptions> options, ILogger<SplitComputeService> logger) : SplitCompute.SplitComputeBase
{
    private static readonly ConcurrentDictionary<long, (string Site, DateTime OpenedUtc)> Owners = new();
    private readonly FederationOptions _options = options.Value;

    /// <inheritdoc />
    public override Task<ModelInfoReply> GetModelInfo(ModelInfoRequest request, ServerCallContext context)
    {
        var (m, _, version) = Loaded();
        return Task.FromResult(new ModelInfoReply { ModelVersion = version, HiddenSize = m.Config.TextConfig.HiddenSize, MaxPositionEmbeddings = m.Config.TextConfig.MaxPositionEmbeddings });
    }

    /// <inheritdoc />
    public override Task<ForwardReply> Forward(ForwardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var site = SiteAuthentication.SiteOf(context);
        var (m, blocks, _) = Loaded();
        using var scope = NewDisposeScope();
        var inputs = Decode(request.InputsEmbeds, "inputs_embeds");
        if (inputs.dim() != 3 || inputs.shape[2] != m.Config.TextConfig.HiddenSize || inputs.shape[1] > m.Config.TextConfig.MaxPositionEmbeddings)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"inputs_embeds must be [batch, ≤ {m.Config.TextConfig.MaxPositionEmbeddings} tokens, {m.Config.TextConfig.HiddenSize}], got [{string.Join(", ", inputs.shape)}]."));
        var (stepId, hidden) = blocks.Forward(inputs);
        Owners[stepId] = (site, DateTime.UtcNow);
        foreach (var stale in Owners.Where(o => o.Value.Site == site).OrderByDescending(o => o.Value.OpenedUtc).Skip(_options.MaxPendingStepsPerSite).ToList())
        {
            Owners.TryRemove(stale.Key, out _);
            blocks.Forget(stale.Key);
            logger.LogInformation("Dropped split step {Step} of site {Site}: no backward came", stale.Key, site);
        }
        return Task.FromResult(new ForwardReply { StepId = stepId, Hidden = TensorCodec.Encode(hidden, request.InputsEmbeds.Precision) });
    }

    /// <inheritdoc />
    public override Task<BackwardReply> Backward(BackwardRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var site = SiteAuthentication.SiteOf(context);
        var (_, blocks, _) = Loaded();
        if (!Owners.TryGetValue(request.StepId, out var owner) || owner.Site != site)
            throw new RpcException(new Status(StatusCode.NotFound, $"Split step {request.StepId} is not an open step of site '{site}'."));
        using var scope = NewDisposeScope();
        var grad = Decode(request.GradHidden, "grad_hidden");
        Owners.TryRemove(request.StepId, out _);
        try
        {
            var gradInputs = blocks.Backward(request.StepId, grad);
            return Task.FromResult(new BackwardReply { GradInputs = TensorCodec.Encode(gradInputs, request.GradHidden.Precision) });
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (KeyNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
    }

    private (FedNano.FederatedMLLM.Model.MultimodalModel, FedNano.FederatedMLLM.Federation.SplitBlocks, string) Loaded()
    {
        try
        {
            return model.Get();
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }

    private Tensor Decode(TensorMessage? message, string field)
    {
        if (message is null) throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} is missing."));
        try
        {
            return TensorCodec.Decode(message, _options.MaxActivationElements);
        }
        catch (FormatException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}: {e.Message}"));
        }
    }
}
