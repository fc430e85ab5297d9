namespace FedNano.Dicom;

/// <summary>
/// Settings for <see cref="DicomJsonWriter"/> (DICOM JSON Model, PS3.18 Annex F).
/// </summary>
/// <remarks>
/// <para>
/// Binary values are those of VR OB, OD, OF, OL, OV, OW and UN, and encapsulated (compressed) pixel data.
/// Each non-empty binary value is written as follows:
/// </para>
/// <list type="number">
/// <item>When <see cref="BulkDataUriResolver"/> is set and the value is longer than
/// <see cref="InlineBinaryThreshold"/> bytes, the resolver is asked for a URI; a non-null answer is written as
/// <c>"BulkDataURI"</c>.</item>
/// <item>Otherwise a value that was read from JSON as a bulk data reference (<see cref="BulkDataUriByteSource"/>)
/// is written back with its original <c>"BulkDataURI"</c>.</item>
/// <item>Otherwise, when <see cref="InlineBinary"/> is true (the default), the bytes are written as base64
/// <c>"InlineBinary"</c>; when it is false only <c>"vr"</c> is written (the value is left out, which readers see
/// as an empty value: meant for responses that must not carry bulk data, such as QIDO-RS).</item>
/// </list>
/// <para>
/// Encapsulated pixel data written inline is the base64 of its Part 10 value field without the sequence
/// delimiter: the Basic Offset Table item followed by one item per fragment (FFFE,E000 + 32-bit length + bytes,
/// odd fragments padded), exactly as pydicom represents encapsulated Pixel Data. <see cref="DicomJsonReader"/>
/// turns such a value of (7FE0,0010) OB back into a <see cref="DicomFragmentSequence"/>.
/// </para>
/// </remarks>
public sealed class DicomJsonOptions
{
    /// <summary>The defaults: binary values inline, no resolver, compact output, no group lengths.</summary>
    public static DicomJsonOptions Default { get; } = new();

    /// <summary>
    /// True (the default) to write binary values that get no BulkDataURI as base64 <c>"InlineBinary"</c>;
    /// false to leave them out (only <c>"vr"</c> is written for such elements).
    /// </summary>
    public bool InlineBinary { get; init; } = true;

    /// <summary>
    /// Gives a BulkDataURI for a binary value, or null to keep it inline. Receives the path of tags from the root
    /// dataset (the tags of the enclosing sequences, then the element's own tag as the last entry) and the item
    /// itself (a <see cref="DicomElement"/>, or a <see cref="DicomFragmentSequence"/> for encapsulated pixel data).
    /// The item's position within a sequence is not part of the path; use the item reference when that matters.
    /// </summary>
    public Func<DicomTag[], DicomItem, string?>? BulkDataUriResolver { get; init; }

    /// <summary>
    /// Binary values of at most this many bytes are always written inline; longer ones are offered to
    /// <see cref="BulkDataUriResolver"/> when one is set. Default 0: every non-empty binary value is offered
    /// (the resolver decides). Values read as <see cref="BulkDataUriByteSource"/> are always offered.
    /// </summary>
    public long InlineBinaryThreshold { get; init; }

    /// <summary>Indent the output of <see cref="DicomJsonWriter.Serialize(DicomDataset, DicomJsonOptions?)"/> (default false).</summary>
    public bool WriteIndented { get; init; }

    /// <summary>Write group length elements (gggg,0000); they are left out by default, as PS3.18 F.2 recommends.</summary>
    public bool IncludeGroupLengths { get; init; }
}
