namespace FedNano.Dicom;

/// <summary>
/// Where one frame lives inside the Pixel Data value, computed once (for example at ingest) so that a frame
/// can later be served without parsing the file again.
/// </summary>
/// <param name="Offset">
/// Native data: byte offset of the frame within the Pixel Data value (for Bits Allocated 1, the byte holding the
/// frame's first bit; see <paramref name="BitOffset"/>). Encapsulated data: offset of the frame's first fragment
/// item relative to the first fragment item after the Basic Offset Table (the value a Basic Offset Table holds).
/// </param>
/// <param name="Length">
/// Native data: the number of bytes the frame touches. Encapsulated data: the sum of the frame's fragment value lengths.
/// </param>
/// <param name="FirstFragment">Encapsulated data: index of the frame's first fragment (0-based, BOT excluded); -1 for native data.</param>
/// <param name="FragmentCount">Encapsulated data: number of fragments of the frame; 0 for native data.</param>
/// <param name="BitOffset">Native Bits Allocated 1 data: bit position (0-7, least significant first) of the frame's first pixel within the byte at <paramref name="Offset"/>; otherwise 0.</param>
public readonly record struct DicomFrameLocation(long Offset, long Length, int FirstFragment = -1, int FragmentCount = 0, int BitOffset = 0)
{
    /// <summary>True when the frame is a range of fragments of encapsulated pixel data.</summary>
    public bool IsEncapsulated => FirstFragment >= 0;
}
