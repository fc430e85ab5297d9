namespace FedNano.Reconstruction.DicomIo;

/// <summary>A CT image series that cannot be read as one <see cref="Volumes.CtVolume"/>: what is wrong and, when it is one instance, which.</summary>
public sealed class CtImageSeriesException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong, in words.</param>
    /// <param name="filePath">The offending file (or "input #n" for in-memory instances), when it is one instance.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CtImageSeriesException(string reason, string? filePath = null, Exception? inner = null)
        : base(filePath is null ? $"CT image series rejected: {reason}" : $"CT image series rejected: {reason} ({filePath})", inner)
    {
        Reason = reason;
        FilePath = filePath;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The offending instance, or null for a problem of the whole series.</summary>
    public string? FilePath { get; }
}
