using System.Diagnostics.CodeAnalysis;

namespace FedNano.Dicom;

/// <summary>
/// The UID registry of PS3.6 Annex A: transfer syntaxes, SOP classes, meta SOP classes, well-known instances,
/// frames of reference, coding schemes and the application context name. Generated from
/// <c>Dictionary/Source/uids.tsv</c>. Thread-safe.
/// </summary>
public static partial class DicomUidRegistry
{
    private static readonly Dictionary<string, DicomUidInfo> ByUid;
    private static readonly Dictionary<string, DicomUidInfo> ByKeyword;
    private static readonly char[] UidTrim = ['\0', ' '];

    /// <summary>All registered UIDs in table (numeric UID) order.</summary>
    public static IReadOnlyCollection<DicomUidInfo> Entries { get; }

#pragma warning disable CA1810 // parsed once from the generated table
    static DicomUidRegistry()
#pragma warning restore CA1810
    {
        var list = new List<DicomUidInfo>(500);
        ByUid = new Dictionary<string, DicomUidInfo>(500, StringComparer.Ordinal);
        ByKeyword = new Dictionary<string, DicomUidInfo>(500, StringComparer.Ordinal);
        Span<Range> parts = stackalloc Range[6];
        foreach (var line in Table.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty) continue;
            if (line.Split(parts, '\t') != 5) throw new InvalidOperationException($"Bad UID registry line '{line}'.");
            var info = new DicomUidInfo(line[parts[0]].ToString(), line[parts[1]].ToString(), line[parts[2]].ToString(),
                Enum.Parse<DicomUidType>(line[parts[3]]), line[parts[4]] is "1");
            list.Add(info);
            ByUid[info.Uid] = info;
            ByKeyword[info.Keyword] = info;
        }
        Entries = list.AsReadOnly();
    }

    /// <summary>
    /// Looks up a UID. Trailing NUL/space padding (as read from a UI element) is ignored.
    /// </summary>
    public static bool TryGet(string uid, [MaybeNullWhen(false)] out DicomUidInfo info)
    {
        info = null;
        if (uid is null) return false;
        return ByUid.TryGetValue(uid, out info) || ByUid.TryGetValue(uid.TrimEnd(UidTrim), out info);
    }

    /// <summary>Looks up a UID by its PS3.6 keyword (case-sensitive, e.g. <c>CTImageStorage</c>).</summary>
    public static bool TryGetByKeyword(string keyword, [MaybeNullWhen(false)] out DicomUidInfo info)
    {
        info = null;
        return keyword is not null && ByKeyword.TryGetValue(keyword, out info);
    }

    /// <summary>The registered name of <paramref name="uid"/>, or the UID itself when it is not registered.</summary>
    public static string GetName(string uid) => TryGet(uid, out var info) ? info.Name : uid;

    /// <summary>True when <paramref name="uid"/> is a registered transfer syntax.</summary>
    public static bool IsTransferSyntax(string uid) => TryGet(uid, out var info) && info.Type == DicomUidType.TransferSyntax;
}
