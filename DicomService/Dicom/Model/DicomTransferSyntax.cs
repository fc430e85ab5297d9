namespace FedNano.Dicom;

/// <summary>A transfer syntax: how a dataset is encoded (VR explicitness, byte order, compression).</summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated, bool canWrite)
    {
        Uid = uid; Name = name; IsExplicitVR = explicitVR; IsBigEndian = bigEndian; IsDeflated = deflated;
        IsEncapsulated = encapsulated; CanWrite = canWrite;
    }

    /// <summary>The transfer syntax UID.</summary>
    public string Uid { get; }
    /// <summary>Registry name.</summary>
    public string Name { get; }
    /// <summary>VRs are written in the stream.</summary>
    public bool IsExplicitVR { get; }
    /// <summary>Big-endian byte order (retired syntax 1.2.840.10008.1.2.2; read only).</summary>
    public bool IsBigEndian { get; }
    /// <summary>Everything after the file meta group is raw-deflated.</summary>
    public bool IsDeflated { get; }
    /// <summary>Pixel data is encapsulated (compressed).</summary>
    public bool IsEncapsulated { get; }
    /// <summary>This codec can write the syntax (including, for encapsulated syntaxes, encoding pixel data).</summary>
    public bool CanWrite { get; }
    /// <summary>Pixel data in this syntax can be decoded to native frames by this codec.</summary>
    public bool CanDecodePixels => !IsEncapsulated || this == RLELossless;

    /// <summary>Implicit VR Little Endian, the default.</summary>
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false, true);
    /// <summary>Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false, true);
    /// <summary>Deflated Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false, true);
    /// <summary>Explicit VR Big Endian (retired; read only).</summary>
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (Retired)", true, true, false, false, false);
    /// <summary>RLE Lossless (encoded and decoded natively).</summary>
    public static readonly DicomTransferSyntax RLELossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true, true);

    private static readonly Dictionary<string, DicomTransferSyntax> Known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless,
    }.ToDictionary(t => t.Uid);

    /// <summary>The syntaxes this codec writes.</summary>
    public static IReadOnlyList<DicomTransferSyntax> Writable { get; } = Known.Values.Where(t => t.CanWrite).ToArray();

    /// <summary>
    /// Looks up a transfer syntax. Unknown UIDs in the JPEG/MPEG families (1.2.840.10008.1.2.4.*, 1.2.840.10008.1.2.6.*)
    /// are treated as encapsulated explicit VR little endian that cannot be decoded; anything else returns false.
    /// </summary>
    public static bool TryParse(string? uid, out DicomTransferSyntax syntax)
    {
        syntax = ImplicitVRLittleEndian;
        if (string.IsNullOrWhiteSpace(uid)) return false;
        uid = uid.Trim().TrimEnd('\0').Trim();
        if (Known.TryGetValue(uid, out var known)) { syntax = known; return true; }
        if (uid.StartsWith("1.2.840.10008.1.2.", StringComparison.Ordinal) && uid.Length > "1.2.840.10008.1.2.".Length)
        {
            var name = DicomUidRegistry.TryGet(uid, out var info) ? info.Name : "Encapsulated " + uid;
            syntax = new DicomTransferSyntax(uid, name, true, false, false, true, false);
            return true;
        }
        return false;
    }

    /// <summary>Looks up a transfer syntax, throwing for unknown UIDs.</summary>
    public static DicomTransferSyntax Parse(string uid) =>
        TryParse(uid, out var ts) ? ts : throw new ArgumentException($"Unknown transfer syntax UID '{uid}'.", nameof(uid));

    /// <inheritdoc />
    public bool Equals(DicomTransferSyntax? other) => other is not null && other.Uid == Uid;
    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomTransferSyntax);
    /// <inheritdoc />
    public override int GetHashCode() => Uid.GetHashCode(StringComparison.Ordinal);
    /// <summary>Equality by UID.</summary>
    public static bool operator ==(DicomTransferSyntax? a, DicomTransferSyntax? b) => a?.Uid == b?.Uid;
    /// <summary>Inequality by UID.</summary>
    public static bool operator !=(DicomTransferSyntax? a, DicomTransferSyntax? b) => !(a == b);
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Uid})";
}
