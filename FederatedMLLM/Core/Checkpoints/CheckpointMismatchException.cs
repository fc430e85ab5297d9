namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>A checkpoint does not fit the model: a tensor with the wrong shape, a required tensor missing, or an unreadable file. The message names the tensor.</summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException(string message, string? tensorName = null, Exception? inner = null) : base(message, inner) => TensorName = tensorName;

    /// <summary>The tensor concerned, when one is.</summary>
    public string? TensorName { get; }
}
