namespace FedNano.Dicom;

/// <summary>Choices for encoding a dataset.</summary>
public sealed class DicomWriteOptions
{
    /// <summary>Write sequences and items with defined lengths instead of delimiters (default false: undefined lengths).</summary>
    public bool DefinedLengthSequences { get; init; }

    /// <summary>Keep group length elements (gggg,0000) outside the file meta group (default false: drop them, they are retired).</summary>
    public bool KeepGroupLengths { get; init; }

    /// <summary>Write a Basic Offset Table for encapsulated pixel data when the frames are known (default true).</summary>
    public bool WriteOffsetTable { get; init; } = true;

    /// <summary>Compression level for the deflated transfer syntax.</summary>
    public System.IO.Compression.CompressionLevel DeflateLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;

    /// <summary>Default options.</summary>
    public static DicomWriteOptions Default { get; } = new();
}
