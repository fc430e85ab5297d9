using System.Collections.ObjectModel;

namespace FedNano.Dicom;

/// <summary>
/// One data dictionary entry: a public data element of PS3.6 (exact tag or repeating-group range such as
/// <c>(60xx,3000)</c>) or a private data element known for a given private creator. Immutable.
/// </summary>
public sealed class DicomDictionaryEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="tag">The tag; for ranges the tag with its variable (x) digits as 0.</param>
    /// <param name="mask">Bits of a tag that must equal <paramref name="tag"/>: 0xFFFFFFFF for exact tags.</param>
    /// <param name="vrs">Allowed VRs, the default (implicit VR) one first; at least one.</param>
    /// <param name="vm">Value multiplicity as written in PS3.6 (<c>1</c>, <c>1-n</c>, <c>2-2n</c>...).</param>
    /// <param name="keyword">The PS3.6 keyword (or the private dictionary's keyword).</param>
    /// <param name="isRetired">True for retired attributes.</param>
    /// <param name="privateCreator">The private creator for private entries; null for public ones.</param>
    public DicomDictionaryEntry(DicomTag tag, uint mask, IReadOnlyList<DicomVR> vrs, string vm, string keyword,
        bool isRetired = false, string? privateCreator = null)
    {
        ArgumentNullException.ThrowIfNull(vrs);
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(keyword);
        if (vrs.Count == 0) throw new ArgumentException("An entry needs at least one VR.", nameof(vrs));
        if ((tag.Value & mask) != tag.Value) throw new ArgumentException("The tag must have its masked-out digits as 0.", nameof(mask));
        Tag = tag;
        Mask = mask;
        VRs = vrs is ReadOnlyCollection<DicomVR> ro ? ro : Array.AsReadOnly(vrs.ToArray());
        VR = VRs[0];
        VM = vm;
        Keyword = keyword;
        IsRetired = isRetired;
        PrivateCreator = privateCreator;
    }

    /// <summary>The tag; for ranges (and private entries) the tag with its variable digits as 0.</summary>
    public DicomTag Tag { get; }

    /// <summary>
    /// Which bits of a tag are fixed: 0xFFFFFFFF for exact tags, 0xFF00FFFF for <c>(60xx,3000)</c>,
    /// 0xFFFF00FF for private entries <c>(gggg,xxEE)</c> (the block byte xx is assigned per data set).
    /// </summary>
    public uint Mask { get; }

    /// <summary>True when the entry covers more than one tag (repeating group or element range).</summary>
    public bool IsRange => Mask != 0xFFFFFFFF;

    /// <summary>The allowed VRs; the first is the default, used for implicit VR data.</summary>
    public IReadOnlyList<DicomVR> VRs { get; }

    /// <summary>The default VR (<c>VRs[0]</c>); <see cref="DicomVR.None"/> for items and delimiters.</summary>
    public DicomVR VR { get; }

    /// <summary>Value multiplicity as written in PS3.6, e.g. <c>1</c>, <c>1-n</c>, <c>2-2n</c>.</summary>
    public string VM { get; }

    /// <summary>The PS3.6 keyword, e.g. <c>PatientName</c>.</summary>
    public string Keyword { get; }

    /// <summary>True for attributes PS3.6 lists as retired.</summary>
    public bool IsRetired { get; }

    /// <summary>The private creator of a private entry; null for public entries.</summary>
    public string? PrivateCreator { get; }

    /// <summary>True when <paramref name="tag"/> is covered by this entry (ignoring the private creator).</summary>
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;

    /// <summary>Formats as <c>(GGGG,EEEE) VR Keyword</c> (range digits as x).</summary>
    public override string ToString()
    {
        var chars = new char[8];
        var value = Tag.Value;
        for (var i = 7; i >= 0; i--, value >>= 4)
            chars[i] = ((Mask >> ((7 - i) * 4)) & 0xF) == 0 ? 'x' : "0123456789ABCDEF"[(int)(value & 0xF)];
        var vr = VR == DicomVR.None ? "--" : string.Join('/', VRs);
        var creator = PrivateCreator is null ? "" : $" [{PrivateCreator}]";
        return $"({new string(chars, 0, 4)},{new string(chars, 4, 4)}) {vr} {Keyword}{creator}";
    }
}
