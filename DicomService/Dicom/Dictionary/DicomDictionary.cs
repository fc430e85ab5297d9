using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace FedNano.Dicom;

/// <summary>
/// The DICOM data dictionary: every public data element of PS3.6 (plus the PS3.7 command elements), looked up
/// by tag or keyword, and the DICOM-CT-PD private dictionary, looked up by private creator. The tables are
/// generated from <c>Dictionary/Source/*.tsv</c> by <c>DicomService/DictionaryGenerator</c>.
/// </summary>
/// <remarks>
/// Tag lookup order: exact tag; repeating-group ranges such as <c>(60xx,3000)</c> (even groups only);
/// group length <c>(gggg,0000)</c> → <see cref="GroupLengthEntry"/> (UL); private creator
/// <c>(odd gggg,0010-00FF)</c> → <see cref="PrivateCreatorEntry"/> (LO). Other private tags are unknown here:
/// use <see cref="TryGetPrivate"/>. All members are thread-safe.
/// </remarks>
public static partial class DicomDictionary
{
    private static readonly Dictionary<uint, DicomDictionaryEntry> Exact;
    // Repeating-group ranges, one map per distinct mask (there are only a few), most specific mask first.
    private static readonly (uint Mask, Dictionary<uint, DicomDictionaryEntry> Map)[] Ranges;
    private static readonly Dictionary<string, DicomDictionaryEntry> ByKeyword;
    private static readonly Dictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> Private;
    private static readonly char[] CreatorTrim = [' ', '\0'];

    /// <summary>
    /// The entry returned for group length elements <c>(gggg,0000)</c> that have no entry of their own
    /// (those of groups 0000 and 0002 do): UL, VM 1, keyword <c>GroupLength</c>, retired (PS3.5 §7.2).
    /// Tag (0000,0000), mask 0x0000FFFF.
    /// </summary>
    public static DicomDictionaryEntry GroupLengthEntry { get; } =
        new(new DicomTag(0x0000, 0x0000), 0x0000FFFF, [DicomVR.UL], "1", "GroupLength", isRetired: true);

    /// <summary>
    /// The entry returned for private creator elements <c>(gggg,0010-00FF)</c> of odd groups above 0008:
    /// LO, VM 1, keyword <c>PrivateCreator</c>. Tag (0001,0000) with mask 0x0001FF00 (odd group, element 00xx);
    /// the lookup additionally requires element ≥ 0x0010.
    /// </summary>
    public static DicomDictionaryEntry PrivateCreatorEntry { get; } =
        new(new DicomTag(0x0001, 0x0000), 0x0001FF00, [DicomVR.LO], "1", "PrivateCreator");

    /// <summary>All public entries (exact tags and ranges) in tag order.</summary>
    public static IReadOnlyCollection<DicomDictionaryEntry> Entries { get; }

    /// <summary>All private entries (the DICOM-CT-PD dictionary) in table order.</summary>
    public static IReadOnlyCollection<DicomDictionaryEntry> PrivateEntries { get; }

#pragma warning disable CA1810 // the tables are parsed once, in order, from the generated constants
    static DicomDictionary()
#pragma warning restore CA1810
    {
        var vrCache = new List<ReadOnlyCollection<DicomVR>>();
        var vrKeys = new List<string>();
        var vmCache = new List<string>();
        var entries = new List<DicomDictionaryEntry>(5000);
        Exact = new Dictionary<uint, DicomDictionaryEntry>(5000);
        ByKeyword = new Dictionary<string, DicomDictionaryEntry>(5000, StringComparer.Ordinal);
        var rangeMasks = new List<uint>();
        var rangeMaps = new List<Dictionary<uint, DicomDictionaryEntry>>();

        Span<Range> parts = stackalloc Range[7];
        foreach (var line in PublicTable.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty) continue;
            // tag VRs VM keyword retired
            if (line.Split(parts, ' ') != 5) throw new InvalidOperationException($"Bad dictionary line '{line}'.");
            var (tag, mask) = ParsePattern(line[parts[0]]);
            var entry = new DicomDictionaryEntry(new DicomTag(tag), mask, VRList(line[parts[1]], vrKeys, vrCache),
                Intern(line[parts[2]], vmCache), line[parts[3]].ToString(), line[parts[4]] is "1");
            entries.Add(entry);
            if (entry.IsRange)
            {
                var i = rangeMasks.IndexOf(mask);
                if (i < 0)
                {
                    // Most specific (most fixed bits) first, so a narrower range wins over a wider one.
                    i = 0;
                    while (i < rangeMasks.Count && System.Numerics.BitOperations.PopCount(rangeMasks[i]) >= System.Numerics.BitOperations.PopCount(mask)) i++;
                    rangeMasks.Insert(i, mask);
                    rangeMaps.Insert(i, []);
                }
                rangeMaps[i][tag] = entry;
            }
            else
            {
                Exact[tag] = entry;
            }
            ByKeyword.TryAdd(entry.Keyword, entry);
        }
        Ranges = new (uint, Dictionary<uint, DicomDictionaryEntry>)[rangeMasks.Count];
        for (var i = 0; i < Ranges.Length; i++) Ranges[i] = (rangeMasks[i], rangeMaps[i]);
        Entries = entries.AsReadOnly();

        Private = [];
        var privateEntries = new List<DicomDictionaryEntry>();
        foreach (var line in PrivateTable.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty) continue;
            // creator group element VRs VM keyword
            if (line.Split(parts, '\t') != 6) throw new InvalidOperationException($"Bad private dictionary line '{line}'.");
            var creator = line[parts[0]].ToString();
            var group = (ushort)ParsePattern(line[parts[1]]).Tag;
            var element = (byte)ParsePattern(line[parts[2]]).Tag;
            var entry = new DicomDictionaryEntry(new DicomTag(group, element), 0xFFFF00FF, VRList(line[parts[3]], vrKeys, vrCache),
                Intern(line[parts[4]], vmCache), line[parts[5]].ToString(), privateCreator: creator);
            Private[(creator, group, element)] = entry;
            privateEntries.Add(entry);
        }
        PrivateEntries = privateEntries.AsReadOnly();
    }

    private static string Intern(ReadOnlySpan<char> s, List<string> cache)
    {
        foreach (var v in cache)
            if (s.SequenceEqual(v)) return v;
        var added = s.ToString();
        cache.Add(added);
        return added;
    }

    private static ReadOnlyCollection<DicomVR> VRList(ReadOnlySpan<char> text, List<string> keys, List<ReadOnlyCollection<DicomVR>> cache)
    {
        for (var i = 0; i < keys.Count; i++)
            if (text.SequenceEqual(keys[i])) return cache[i];
        DicomVR[] vrs;
        if (text is "NONE")
        {
            vrs = [DicomVR.None]; // items and delimiters have no VR
        }
        else
        {
            // "PN", "OW/OB", "US/SS/OW": two-letter codes separated by '/'.
            vrs = new DicomVR[(text.Length + 1) / 3];
            for (var i = 0; i < vrs.Length; i++)
                if (!DicomVRInfo.TryParse(text.Slice(i * 3, 2).ToString(), out vrs[i]))
                    throw new InvalidOperationException($"Bad VR '{text}' in dictionary.");
        }
        var list = Array.AsReadOnly(vrs);
        keys.Add(text.ToString());
        cache.Add(list);
        return list;
    }

    private static (uint Tag, uint Mask) ParsePattern(ReadOnlySpan<char> pattern)
    {
        uint tag = 0, mask = 0;
        foreach (var c in pattern)
        {
            tag <<= 4;
            mask <<= 4;
            if (c == 'x') continue;
            tag |= (uint)(c <= '9' ? c - '0' : c - 'A' + 10);
            mask |= 0xF;
        }
        return (tag, mask);
    }

    /// <summary>
    /// Looks up a tag: exact entry first, then repeating-group ranges, then the generic group length and
    /// private creator entries. Private data elements are not found here (see <see cref="TryGetPrivate"/>).
    /// </summary>
    public static bool TryGet(DicomTag tag, [MaybeNullWhen(false)] out DicomDictionaryEntry entry)
    {
        if (Exact.TryGetValue(tag.Value, out entry)) return true;
        if (!tag.IsPrivate)
        {
            var value = tag.Value;
            foreach (var (mask, map) in Ranges)
                if (map.TryGetValue(value & mask, out entry)) return true;
        }
        if (tag.IsGroupLength)
        {
            entry = GroupLengthEntry;
            return true;
        }
        if (tag.IsPrivateCreator)
        {
            entry = PrivateCreatorEntry;
            return true;
        }
        entry = null;
        return false;
    }

    /// <summary>Looks up a public entry by its PS3.6 keyword (case-sensitive, e.g. <c>PatientName</c>).</summary>
    public static bool TryGet(string keyword, [MaybeNullWhen(false)] out DicomDictionaryEntry entry)
    {
        if (keyword is null)
        {
            entry = null;
            return false;
        }
        return ByKeyword.TryGetValue(keyword, out entry);
    }

    /// <summary>The default VR of <paramref name="tag"/>, or <see cref="DicomVR.UN"/> when the tag is unknown.</summary>
    public static DicomVR GetVR(DicomTag tag) => TryGet(tag, out var entry) ? entry.VR : DicomVR.UN;

    /// <summary>The keyword of <paramref name="tag"/>, or the empty string when the tag is unknown.</summary>
    public static string GetKeyword(DicomTag tag) => TryGet(tag, out var entry) ? entry.Keyword : "";

    /// <summary>
    /// Looks up a private data element <c>(gggg,xxEE)</c> reserved by <paramref name="creator"/> (the value of
    /// <c>(gggg,00xx)</c>; trailing/leading spaces and NULs are ignored) by creator, group and low element byte.
    /// </summary>
    public static bool TryGetPrivate(string creator, DicomTag tag, [MaybeNullWhen(false)] out DicomDictionaryEntry entry)
    {
        entry = null;
        if (creator is null || !tag.IsPrivate || tag.Element < 0x1000) return false;
        return Private.TryGetValue((creator.Trim(CreatorTrim), tag.Group, (byte)tag.Element), out entry);
    }
}
