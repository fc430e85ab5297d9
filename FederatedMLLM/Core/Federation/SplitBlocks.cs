using System.Collections.Concurrent;
using FedNano.FederatedMLLM.Model;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// The server's part of split training, in process: the decoder's transformer blocks, frozen. Each forward keeps
/// its graph until the matching backward (or <see cref="Forget"/>), so the server holds no site data beyond one step.
/// </summary>
public sealed class SplitBlocks : ISplitServer, IDisposable
{
    private readonly LlamaForCausalLM _decoder;
    private readonly ConcurrentDictionary<long, (Tensor Input, Tensor Output)> _pending = new();
    private long _next;

    /// <summary>Serves the blocks of <paramref name="decoder"/>; its parameters are frozen (no gradient is kept for them).</summary>
    public SplitBlocks(LlamaForCausalLM decoder)
    {
        _decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
        foreach (var p in _decoder.Body.parameters()) p.requires_grad = false;
    }

    /// <summary>Steps waiting for their backward.</summary>
    public int PendingSteps => _pending.Count;

    /// <inheritdoc />
    public (long StepId, Tensor Hidden) Forward(Tensor inputsEmbeds)
    {
        ArgumentNullException.ThrowIfNull(inputsEmbeds);
        if (inputsEmbeds.dim() != 3 || inputsEmbeds.shape[2] != _decoder.Config.HiddenSize)
            throw new ArgumentException($"Split forward expects [batch, tokens, {_decoder.Config.HiddenSize}], got [{string.Join(", ", inputsEmbeds.shape)}].", nameof(inputsEmbeds));
        var device = _decoder.Body.EmbedTokens.weight!.device;
        var input = inputsEmbeds.detach().to(ScalarType.Float32).to(device).requires_grad_(true).DetachFromDisposeScope();
        Tensor output;
        using (enable_grad()) output = _decoder.RunBlocks(input).DetachFromDisposeScope();
        long id = Interlocked.Increment(ref _next);
        _pending[id] = (input, output);
        return (id, output.detach());
    }

    /// <inheritdoc />
    public Tensor Backward(long stepId, Tensor gradHidden)
    {
        ArgumentNullException.ThrowIfNull(gradHidden);
        if (!_pending.TryRemove(stepId, out var step)) throw new KeyNotFoundException($"Split step {stepId} is unknown or already finished.");
        try
        {
            if (!gradHidden.shape.SequenceEqual(step.Output.shape))
                throw new ArgumentException($"Gradient shape [{string.Join(", ", gradHidden.shape)}] does not match step {stepId}'s hidden states [{string.Join(", ", step.Output.shape)}].", nameof(gradHidden));
            step.Output.backward([gradHidden.to(step.Output.dtype).to(step.Output.device)]);
            return step.Input.grad!.detach().clone();
        }
        finally
        {
            step.Input.Dispose();
            step.Output.Dispose();
        }
    }

    /// <summary>Drops a step whose backward will not come (a site that dropped out).</summary>
    public bool Forget(long stepId)
    {
        if (!_pending.TryRemove(stepId, out var step)) return false;
        step.Input.Dispose();
        step.Output.Dispose();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var id in _pending.Keys) Forget(id);
    }
}
