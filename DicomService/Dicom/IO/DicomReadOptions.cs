namespace FedNano.Dicom;

/// <summary>How strictly and how lazily to read DICOM input.</summary>
public sealed class DicomReadOptions
{
    /// <summary>Values at least this long are left in the file and read on demand (file input only). Default 64 KiB.</summary>
    public long LazyValueThreshold { get; init; } = 64 * 1024;

    /// <summary>Maximum nesting of sequences; deeper input is rejected as malformed. Default 64, at most <see cref="MaxSupportedSequenceDepth"/>.</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    /// <summary>Hard ceiling on <see cref="MaxSequenceDepth"/>: the parser recurses once per level and must not exhaust the stack.</summary>
    public const int MaxSupportedSequenceDepth = 1024;

    /// <summary>Most bytes a deflated dataset may inflate to (default 4 GiB); beyond it the input is rejected as a deflate bomb.</summary>
    public long MaxInflatedBytes { get; init; } = 4L << 30;

    /// <summary>Stop after the file meta information and the elements before this tag (e.g. Pixel Data).</summary>
    public DicomTag? StopAtTag { get; init; }

    /// <summary>Re-type public elements that arrive as UN using the dictionary VR (default true).</summary>
    public bool RetypeUnknownVR { get; init; } = true;

    /// <summary>Default options.</summary>
    public static DicomReadOptions Default { get; } = new();
}
