using FedNano.FederatedMLLM.Federation;
using Grpc.Core;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>
/// The site's view of the server's blocks over gRPC: <see cref="ISplitServer"/> on a <see cref="SplitCompute.SplitComputeClient"/>.
/// Activations and gradients travel at <paramref name="precision"/>; the site credential goes with every call.
/// </summary>
public sealed class GrpcSplitServer(SplitCompute.SplitComputeClient client, string credential, Precision precision = Precision.Fp32, TimeSpan? timeout = null) : ISplitServer
{
    private readonly Metadata _headers = new() { { "authorization", "Bearer " + credential } };
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(2);

    /// <summary>Bytes sent up (activations and gradients) since creation.</summary>
    public long BytesUp { get; private set; }

    /// <summary>Bytes received (hidden states and input gradients) since creation.</summary>
    public long BytesDown { get; private set; }

    /// <inheritdoc />
    public (long StepId, Tensor Hidden) Forward(Tensor inputsEmbeds)
    {
        var request = new ForwardRequest { InputsEmbeds = TensorCodec.Encode(inputsEmbeds, precision) };
        BytesUp += request.CalculateSize();
        var reply = client.Forward(request, _headers, DateTime.UtcNow + _timeout);
        BytesDown += reply.CalculateSize();
        return (reply.StepId, TensorCodec.Decode(reply.Hidden));
    }

    /// <inheritdoc />
    public Tensor Backward(long stepId, Tensor gradHidden)
    {
        var request = new BackwardRequest { StepId = stepId, GradHidden = TensorCodec.Encode(gradHidden, precision) };
        BytesUp += request.CalculateSize();
        var reply = client.Backward(request, _headers, DateTime.UtcNow + _timeout);
        BytesDown += reply.CalculateSize();
        return TensorCodec.Decode(reply.GradInputs);
    }
}
