namespace FedNano.Reconstruction.Networks;

/// <summary>One field in which a network checkpoint differs from what the caller asked for.</summary>
/// <param name="Field">JSON path of the field in <see cref="DualDomainConfig"/>, e.g. <c>geometry.channels</c>.</param>
/// <param name="Expected">The value the caller asked for.</param>
/// <param name="Actual">The value stored in the checkpoint.</param>
public sealed record NetworkCheckpointMismatch(string Field, string Expected, string Actual)
{
    /// <summary>"field: expected E, checkpoint has A".</summary>
    public override string ToString() => $"{Field}: expected {Expected}, checkpoint has {Actual}";
}
