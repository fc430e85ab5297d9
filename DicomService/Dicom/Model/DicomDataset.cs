using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace FedNano.Dicom;

/// <summary>
/// A DICOM dataset: items kept in ascending tag order, with typed access to values.
/// Text values are kept as encoded bytes and decoded with the dataset's Specific Character Set
/// (inherited by sequence items from their parent) when read.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items = [];

    /// <summary>Creates an empty dataset.</summary>
    public DicomDataset() { }

    /// <summary>Creates a dataset holding the given items.</summary>
    public DicomDataset(IEnumerable<DicomItem> items)
    {
        foreach (var item in items) AddOrUpdate(item);
    }

    /// <summary>The dataset that holds this one as a sequence item, if any (for character-set inheritance).</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>Number of items at this level.</summary>
    public int Count => _items.Count;

    /// <summary>The items in tag order.</summary>
    public IReadOnlyList<DicomItem> Items => _items;

    /// <summary>The Specific Character Set in force: this dataset's (0008,0005), else the parent's, else the default repertoire.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_charset is not null) return _charset;
            if (TryGetElement(DicomTags.SpecificCharacterSet, out var cs))
            {
                var text = Encoding.ASCII.GetString(cs.Value.GetMemory().Span);
                _charset = DicomCharacterSet.FromSpecificCharacterSet(
                    text.Split('\\').Select(t => t.Trim(' ', '\0')).ToArray());
                return _charset;
            }
            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    private DicomCharacterSet? _charset;

    private int IndexOf(DicomTag tag)
    {
        var value = tag.Value;
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var v = _items[mid].Tag.Value;
            if (v == value) return mid;
            if (v < value) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }

    /// <summary>True when the dataset has an item with this tag.</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>The item with this tag, or null.</summary>
    public DicomItem? GetItem(DicomTag tag) => IndexOf(tag) is var i and >= 0 ? _items[i] : null;

    /// <summary>Tries to get the byte-valued element with this tag.</summary>
    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        element = null!;
        if (GetItem(tag) is DicomElement e) { element = e; return true; }
        return false;
    }

    /// <summary>Tries to get the sequence with this tag.</summary>
    public bool TryGetSequence(DicomTag tag, out DicomSequence sequence)
    {
        sequence = null!;
        if (GetItem(tag) is DicomSequence s) { sequence = s; return true; }
        return false;
    }

    /// <summary>Adds an item, replacing any item with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is DicomSequence seq) seq.Owner = this;
        if (item.Tag == DicomTags.SpecificCharacterSet) _charset = null;
        // Fast path: readers and builders mostly append in ascending order.
        if (_items.Count == 0 || _items[^1].Tag.Value < item.Tag.Value)
        {
            _items.Add(item);
            return this;
        }
        var i = IndexOf(item.Tag);
        if (i >= 0) _items[i] = item; else _items.Insert(~i, item);
        return this;
    }

    /// <summary>Removes the item with this tag; true when something was removed.</summary>
    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0) return false;
        if (tag == DicomTags.SpecificCharacterSet) _charset = null;
        _items.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every item for which <paramref name="predicate"/> is true.</summary>
    public int RemoveAll(Func<DicomItem, bool> predicate)
    {
        var n = _items.RemoveAll(i => predicate(i));
        _charset = null;
        return n;
    }

    /// <summary>A deep copy: nested sequences and in-memory values are copied; file-backed values are shared read-only views.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset();
        foreach (var item in _items) copy._items.Add(item.Clone());
        foreach (var item in copy._items)
            if (item is DicomSequence s) s.Owner = copy;
        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // ---------------------------------------------------------------- reading values

    /// <summary>The whole decoded text value (all values joined by backslash) without trailing padding, or null when absent.</summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGetElement(tag, out var e)) return null;
        return DecodeText(e);
    }

    /// <summary>The decoded text of an element using this dataset's character set, trailing padding removed.</summary>
    public string DecodeText(DicomElement element)
    {
        var bytes = element.Value.GetMemory().Span;
        if (element.VR == DicomVR.AT || element.VR.ValueSize() > 0 || element.VR is DicomVR.OB or DicomVR.UN)
            return string.Join('\\', FormatBinaryValues(element));
        string text = element.VR.IsCharacterSetDependent()
            ? CharacterSet.Decode(bytes, element.VR)
            : Encoding.Latin1.GetString(bytes);
        return element.VR == DicomVR.UI ? text.TrimEnd('\0', ' ') : text.TrimEnd(' ', '\0');
    }

    /// <summary>
    /// The individual values of a text element, split at backslash (except LT/ST/UT/UR), each with insignificant
    /// spaces removed (PS3.5 §6.2). Empty array when absent or empty.
    /// </summary>
    public string[] GetStrings(DicomTag tag)
    {
        var text = GetString(tag);
        if (string.IsNullOrEmpty(text)) return [];
        var vr = GetItem(tag)!.VR;
        if (vr.IsSingleValuedText()) return [text];
        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++) parts[i] = parts[i].Trim(' ', '\0');
        return parts;
    }

    /// <summary>Value <paramref name="index"/> of a text element, or <paramref name="fallback"/> when absent.</summary>
    public string GetSingleString(DicomTag tag, int index = 0, string fallback = "")
    {
        var values = GetStrings(tag);
        return index < values.Length ? values[index] : fallback;
    }

    /// <summary>
    /// Numeric values of an element as <typeparamref name="T"/>: binary VRs are reinterpreted/converted,
    /// IS and DS strings are parsed. Empty when absent.
    /// </summary>
    /// <exception cref="DicomDataException">A value cannot be converted.</exception>
    public T[] GetValues<T>(DicomTag tag) where T : unmanaged, INumber<T>
    {
        if (!TryGetElement(tag, out var e)) return [];
        return ReadNumbers<T>(e, this);
    }

    /// <summary>Numeric value <paramref name="index"/>, or <paramref name="fallback"/> when absent or short.</summary>
    public T GetValue<T>(DicomTag tag, int index = 0, T fallback = default) where T : unmanaged, INumber<T>
    {
        var values = GetValues<T>(tag);
        return index < values.Length ? values[index] : fallback;
    }

    /// <summary>Tries to get numeric value <paramref name="index"/>; false when absent, empty or not a number.</summary>
    public bool TryGetValue<T>(DicomTag tag, out T value, int index = 0) where T : unmanaged, INumber<T>
    {
        value = default;
        try
        {
            var values = GetValues<T>(tag);
            if (index >= values.Length) return false;
            value = values[index];
            return true;
        }
        catch (DicomDataException) { return false; }
    }

    internal static T[] ReadNumbers<T>(DicomElement e, DicomDataset owner) where T : unmanaged, INumber<T>
    {
        var span = e.Value.GetMemory().Span;
        switch (e.VR)
        {
            case DicomVR.US or DicomVR.OW: return Convert<ushort, T>(span, e);
            case DicomVR.SS: return Convert<short, T>(span, e);
            case DicomVR.UL or DicomVR.OL: return Convert<uint, T>(span, e);
            case DicomVR.SL: return Convert<int, T>(span, e);
            case DicomVR.FL or DicomVR.OF: return Convert<float, T>(span, e);
            case DicomVR.FD or DicomVR.OD: return Convert<double, T>(span, e);
            case DicomVR.SV: return Convert<long, T>(span, e);
            case DicomVR.UV or DicomVR.OV: return Convert<ulong, T>(span, e);
            case DicomVR.OB or DicomVR.UN: return Convert<byte, T>(span, e);
            case DicomVR.IS or DicomVR.DS:
                {
                    var strings = owner.GetStrings(e.Tag);
                    var result = new T[strings.Length];
                    for (var i = 0; i < strings.Length; i++)
                    {
                        if (!double.TryParse(strings[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                            throw new DicomDataException($"{e.Tag} {e.VR} value '{strings[i]}' is not a number.");
                        result[i] = T.CreateChecked(d);
                    }
                    return result;
                }
            default:
                throw new DicomDataException($"{e.Tag} has VR {e.VR}, which holds no numbers.");
        }
    }

    private static T[] Convert<TSource, T>(ReadOnlySpan<byte> bytes, DicomElement e)
        where TSource : unmanaged, INumber<TSource> where T : unmanaged, INumber<T>
    {
        var size = Marshal.SizeOf<TSource>();
        if (bytes.Length % size != 0)
            bytes = bytes[..(bytes.Length - bytes.Length % size)]; // tolerate a stray odd byte
        var src = MemoryMarshal.Cast<byte, TSource>(bytes);
        if (typeof(T) == typeof(TSource)) return MemoryMarshal.Cast<TSource, T>(src).ToArray();
        var result = new T[src.Length];
        try
        {
            for (var i = 0; i < src.Length; i++) result[i] = T.CreateChecked(src[i]);
        }
        catch (OverflowException)
        {
            throw new DicomDataException($"{e.Tag} {e.VR} holds a value that does not fit {typeof(T).Name}.");
        }
        return result;
    }

    private static IEnumerable<string> FormatBinaryValues(DicomElement e)
    {
        var span = e.Value.GetMemory();
        if (e.VR == DicomVR.AT)
        {
            var words = MemoryMarshal.Cast<byte, ushort>(span.Span).ToArray();
            for (var i = 0; i + 1 < words.Length; i += 2) yield return $"{words[i]:X4}{words[i + 1]:X4}";
            yield break;
        }
        var strings = e.VR switch
        {
            DicomVR.FL or DicomVR.OF => ReadNumbers<float>(e, new DicomDataset()).Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
            DicomVR.FD or DicomVR.OD => ReadNumbers<double>(e, new DicomDataset()).Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
            DicomVR.SS => ReadNumbers<short>(e, new DicomDataset()).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DicomVR.SL => ReadNumbers<int>(e, new DicomDataset()).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DicomVR.SV => ReadNumbers<long>(e, new DicomDataset()).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DicomVR.UV or DicomVR.OV => ReadNumbers<ulong>(e, new DicomDataset()).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DicomVR.UL or DicomVR.OL => ReadNumbers<uint>(e, new DicomDataset()).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DicomVR.US or DicomVR.OW => ReadNumbers<ushort>(e, new DicomDataset()).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            _ => span.ToArray().Select(b => b.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var s in strings) yield return s;
    }

    /// <summary>Attribute tags held by an AT element.</summary>
    public DicomTag[] GetTags(DicomTag tag)
    {
        if (!TryGetElement(tag, out var e) || e.VR != DicomVR.AT) return [];
        var words = MemoryMarshal.Cast<byte, ushort>(e.Value.GetMemory().Span);
        var result = new DicomTag[words.Length / 2];
        for (var i = 0; i < result.Length; i++) result[i] = new DicomTag(words[2 * i], words[2 * i + 1]);
        return result;
    }

    /// <summary>A DA value as a date; null when absent, empty or not a valid YYYYMMDD date.</summary>
    public DateOnly? GetDate(DicomTag tag) => DicomDateTime.ParseDate(GetSingleString(tag));

    /// <summary>A TM value as a time of day; null when absent, empty or invalid.</summary>
    public TimeOnly? GetTime(DicomTag tag) => DicomDateTime.ParseTime(GetSingleString(tag));

    /// <summary>A DT value; null when absent, empty or invalid. An offset suffix is honoured.</summary>
    public DateTimeOffset? GetDateTime(DicomTag tag) => DicomDateTime.ParseDateTime(GetSingleString(tag));

    /// <summary>A PN value parsed into its component groups; null when absent.</summary>
    public DicomPersonName? GetPersonName(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        return index < values.Length ? DicomPersonName.Parse(values[index]) : null;
    }

    /// <summary>Items of a sequence; empty when absent.</summary>
    public IReadOnlyList<DicomDataset> GetSequenceItems(DicomTag tag) =>
        TryGetSequence(tag, out var s) ? s.Items : [];

    // ---------------------------------------------------------------- writing values

    /// <summary>
    /// Sets a text element from one or more values (joined with backslash), using the dictionary VR when
    /// <paramref name="vr"/> is None. Text that the current character set cannot encode switches an
    /// unset character set to ISO_IR 192 (UTF-8).
    /// </summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        if (vr == DicomVR.None) vr = DicomDictionary.GetVR(tag);
        var text = string.Join('\\', values);
        byte[] bytes;
        if (vr.IsString())
        {
            if (vr.IsCharacterSetDependent())
            {
                var cs = CharacterSet;
                if (!cs.CanEncode(text))
                {
                    if (cs.IsDefault && !TryGetElement(DicomTags.SpecificCharacterSet, out _) && Parent is null)
                    {
                        AddOrUpdate(new DicomElement(DicomTags.SpecificCharacterSet, DicomVR.CS, Encoding.ASCII.GetBytes("ISO_IR 192")));
                        cs = CharacterSet;
                    }
                    else throw new DicomDataException($"{tag} value cannot be encoded in character set {string.Join('\\', cs.Terms)}.");
                }
                bytes = cs.Encode(text, vr);
            }
            else
            {
                if (text.Any(c => c > 0x7E || (c < 0x20 && c != '\r' && c != '\n' && c != '\t' && c != '\f' && c != 0x1B)))
                    throw new DicomDataException($"{tag} {vr} value must be printable ASCII.");
                bytes = Encoding.ASCII.GetBytes(text);
            }
        }
        else
        {
            return AddOrUpdate(tag, vr, ParseNumbers(tag, vr, values));
        }
        return AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Sets a text element with its dictionary VR.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomVR.None, values);

    private static double[] ParseNumbers(DicomTag tag, DicomVR vr, string[] values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
            if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                throw new DicomDataException($"{tag} {vr} value '{values[i]}' is not a number.");
        return result;
    }

    /// <summary>
    /// Sets a numeric element. Binary VRs store the values in their own width (checked conversion);
    /// IS and DS format them as strings (DS with up to 16 characters).
    /// </summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) where T : unmanaged, INumber<T>
    {
        if (vr == DicomVR.None) vr = DicomDictionary.GetVR(tag);
        byte[] bytes = vr switch
        {
            DicomVR.US or DicomVR.OW => Pack<T, ushort>(values),
            DicomVR.SS => Pack<T, short>(values),
            DicomVR.UL or DicomVR.OL => Pack<T, uint>(values),
            DicomVR.SL => Pack<T, int>(values),
            DicomVR.FL or DicomVR.OF => Pack<T, float>(values),
            DicomVR.FD or DicomVR.OD => Pack<T, double>(values),
            DicomVR.SV => Pack<T, long>(values),
            DicomVR.UV or DicomVR.OV => Pack<T, ulong>(values),
            DicomVR.OB or DicomVR.UN => Pack<T, byte>(values),
            DicomVR.IS => Encoding.ASCII.GetBytes(string.Join('\\', values.Select(v => long.CreateChecked(v).ToString(CultureInfo.InvariantCulture)))),
            DicomVR.DS => Encoding.ASCII.GetBytes(string.Join('\\', values.Select(v => DicomDecimalString.Format(double.CreateChecked(v))))),
            _ => throw new DicomDataException($"{tag}: VR {vr} does not hold numbers."),
        };
        return AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Sets a numeric element with its dictionary VR.</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values) where T : unmanaged, INumber<T> =>
        AddOrUpdate(tag, DicomVR.None, values);

    private static byte[] Pack<T, TTarget>(T[] values) where T : unmanaged, INumber<T> where TTarget : unmanaged, INumber<TTarget>
    {
        var target = new TTarget[values.Length];
        for (var i = 0; i < values.Length; i++) target[i] = TTarget.CreateChecked(values[i]);
        return MemoryMarshal.AsBytes(target.AsSpan()).ToArray();
    }

    /// <summary>Sets a binary element (OB, OW, UN …) from raw little-endian bytes.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, byte[] bytes) =>
        AddOrUpdate(new DicomElement(tag, vr, bytes));

    /// <summary>Sets an AT element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] tags)
    {
        var words = new ushort[tags.Length * 2];
        for (var i = 0; i < tags.Length; i++) { words[2 * i] = tags[i].Group; words[2 * i + 1] = tags[i].Element; }
        return AddOrUpdate(new DicomElement(tag, DicomVR.AT, MemoryMarshal.AsBytes(words.AsSpan()).ToArray()));
    }

    /// <summary>Sets a sequence with the given items.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomDataset[] items) => AddOrUpdate(new DicomSequence(tag, items));

    /// <summary>Sets a DA element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DateOnly date) =>
        AddOrUpdate(tag, DicomVR.DA, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    /// <summary>Sets a TM element (to the microsecond when fractional seconds are present).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, TimeOnly time) =>
        AddOrUpdate(tag, DicomVR.TM, DicomDateTime.FormatTime(time));

    // ---------------------------------------------------------------- private blocks

    /// <summary>
    /// The tag of private element <paramref name="elementByte"/> (0x00-0xFF) in the block that
    /// <paramref name="creator"/> reserves in odd <paramref name="group"/>. With <paramref name="reserve"/>, a
    /// free block is reserved when the creator has none yet; otherwise null is returned.
    /// </summary>
    public DicomTag? GetPrivateTag(ushort group, string creator, byte elementByte, bool reserve = false)
    {
        if ((group & 1) == 0 || group <= 0x0008) throw new ArgumentException($"Group {group:X4} is not a private group.", nameof(group));
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var creatorTag = new DicomTag(group, block);
            var existing = GetString(creatorTag);
            if (existing is null)
            {
                if (!reserve) continue;
                AddOrUpdate(new DicomElement(creatorTag, DicomVR.LO, EncodeCreator(creator)));
                return new DicomTag(group, (ushort)((block << 8) | elementByte));
            }
            if (string.Equals(existing.Trim(), creator.Trim(), StringComparison.Ordinal))
                return new DicomTag(group, (ushort)((block << 8) | elementByte));
        }
        if (reserve) throw new DicomDataException($"No free private block left in group {group:X4}.");
        return null;
    }

    private static byte[] EncodeCreator(string creator)
    {
        var bytes = Encoding.ASCII.GetBytes(creator);
        return bytes;
    }

    /// <summary>The private creator that reserves the block holding <paramref name="tag"/>, or null.</summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.Element < 0x1000) return null;
        return GetString(tag.PrivateCreatorTag)?.Trim();
    }
}
