namespace FedNano.Reconstruction.Networks;

/// <summary>
/// A network checkpoint was trained for another scanner geometry, row pattern, image grid or network layout than the
/// caller asked for. <see cref="Exception.Message"/> names every differing field.
/// </summary>
public sealed class NetworkCheckpointMismatchException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="mismatches"/> found in the checkpoint at <paramref name="path"/>.</summary>
    public NetworkCheckpointMismatchException(string path, IReadOnlyList<NetworkCheckpointMismatch> mismatches)
        : base(Describe(path, mismatches))
    {
        Path = path;
        Mismatches = mismatches;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public NetworkCheckpointMismatchException(string message)
        : base(message)
    {
        Path = string.Empty;
        Mismatches = [];
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NetworkCheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
        Mismatches = [];
    }

    /// <summary>Creates the exception without details.</summary>
    public NetworkCheckpointMismatchException()
        : this("The network checkpoint does not match the requested configuration.")
    {
    }

    /// <summary>The checkpoint file (empty when not known).</summary>
    public string Path { get; }

    /// <summary>The differing fields.</summary>
    public IReadOnlyList<NetworkCheckpointMismatch> Mismatches { get; }

    private static string Describe(string path, IReadOnlyList<NetworkCheckpointMismatch> mismatches)
    {
        ArgumentNullException.ThrowIfNull(mismatches);
        return $"Network checkpoint '{path}' does not match the requested configuration: {string.Join("; ", mismatches)}.";
    }
}
