using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FedNano.Dicom;

/// <summary>
/// Writes datasets in the DICOM JSON Model (PS3.18 Annex F), the body of <c>application/dicom+json</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Each dataset is an object keyed by the 8 upper-case hex digits of each tag, in ascending tag order; every
/// attribute has <c>"vr"</c> and at most one of <c>"Value"</c>, <c>"InlineBinary"</c>, <c>"BulkDataURI"</c>.
/// An empty value gives an attribute with only <c>"vr"</c>. Group lengths are left out unless
/// <see cref="DicomJsonOptions.IncludeGroupLengths"/> is set.</item>
/// <item>Text is decoded with the Specific Character Set in force (inherited by sequence items) and written as
/// UTF-8. Padding and insignificant spaces are removed; an empty value among several values is written as
/// <c>null</c> (F.2.5). PN values are objects with <c>Alphabetic</c>, <c>Ideographic</c>, <c>Phonetic</c>
/// members, empty groups left out (an entirely empty name is <c>null</c>). AT values are 8-hex-digit strings.</item>
/// <item>IS and DS values are JSON numbers when they are valid finite numbers, written with their original
/// digits when those already form a JSON number (so <c>"1.50"</c> stays <c>1.50</c>), else normalised
/// (<c>"+.5"</c> becomes <c>0.5</c>); anything else (an invalid string such as <c>"abc"</c> or <c>"NaN"</c>)
/// stays a JSON string, so the output is always valid JSON.</item>
/// <item>FL and FD values that are NaN or infinite, which JSON numbers cannot express, are written as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> (the spelling of JavaScript and of System.Text.Json's
/// named floating point literals); <see cref="DicomJsonReader"/> reads them back (NaN payload bits are not kept).</item>
/// <item>SV and UV values are numbers when their magnitude is at most 2^53 − 1 (JavaScript's
/// <c>Number.MAX_SAFE_INTEGER</c>, so every JSON reader gets them exactly) and decimal strings beyond that, as
/// F.2.3.1 allows.</item>
/// <item>Binary values (OB OD OF OL OV OW UN, encapsulated pixel data) follow <see cref="DicomJsonOptions"/>:
/// a BulkDataURI from the resolver, else base64 InlineBinary (little-endian bytes), streamed in segments so
/// file-backed values are never loaded at once.</item>
/// </list>
/// </remarks>
public static class DicomJsonWriter
{
    /// <summary>2^53 − 1: the largest integer every JSON (IEEE double) reader holds exactly.</summary>
    private const long MaxSafeInteger = (1L << 53) - 1;

    private static readonly string[] PersonNameGroups = ["Alphabetic", "Ideographic", "Phonetic"];

    /// <summary>
    /// Writer options suited to DICOM JSON: indentation from <paramref name="options"/>, and an encoder that writes
    /// non-ASCII text as UTF-8 rather than <c>\uXXXX</c> escapes. Use them when creating a
    /// <see cref="Utf8JsonWriter"/> for <see cref="Write(Utf8JsonWriter, DicomDataset, DicomJsonOptions?)"/>.
    /// </summary>
    /// <param name="options">The DICOM JSON options; null for the defaults.</param>
    /// <returns>The writer options.</returns>
    public static JsonWriterOptions CreateWriterOptions(DicomJsonOptions? options = null) => new()
    {
        Indented = (options ?? DicomJsonOptions.Default).WriteIndented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one dataset as a DICOM JSON object.</summary>
    /// <param name="writer">The destination; its own options decide indentation and escaping.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">Binary value and group length handling; null for the defaults.</param>
    /// <exception cref="InvalidOperationException">A file-backed value could not be read.</exception>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        var context = new Context(options ?? DicomJsonOptions.Default);
        WriteDataset(writer, dataset, dataset.CharacterSet, context);
    }

    /// <summary>Writes datasets as a JSON array of DICOM JSON objects (the form QIDO-RS and WADO-RS metadata return).</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="datasets">The datasets, in order.</param>
    /// <param name="options">Binary value and group length handling; null for the defaults.</param>
    public static void Write(Utf8JsonWriter writer, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(datasets);
        writer.WriteStartArray();
        foreach (var dataset in datasets) Write(writer, dataset, options);
        writer.WriteEndArray();
    }

    /// <summary>Serializes one dataset to a DICOM JSON object.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(DicomDataset dataset, DicomJsonOptions? options = null) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(dataset, options));

    /// <summary>Serializes datasets to a JSON array of DICOM JSON objects.</summary>
    /// <param name="datasets">The datasets, in order.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(datasets, options));

    /// <summary>Serializes one dataset to UTF-8 DICOM JSON.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The UTF-8 bytes of the JSON object.</returns>
    public static byte[] SerializeToUtf8Bytes(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CreateWriterOptions(options)))
            Write(writer, dataset, options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes datasets to a UTF-8 JSON array of DICOM JSON objects.</summary>
    /// <param name="datasets">The datasets, in order.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The UTF-8 bytes of the JSON array.</returns>
    public static byte[] SerializeToUtf8Bytes(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CreateWriterOptions(options)))
            Write(writer, datasets, options);
        return buffer.WrittenSpan.ToArray();
    }

    // ------------------------------------------------------------------ datasets and items

    private sealed class Context(DicomJsonOptions options)
    {
        public DicomJsonOptions Options { get; } = options;
        public List<DicomTag> Path { get; } = [];
    }

    private static void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset, DicomCharacterSet charset, Context context)
    {
        writer.WriteStartObject();
        Span<byte> key = stackalloc byte[8];
        // DicomDataset keeps its items in ascending tag order, which is the order DICOM JSON requires.
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength && !context.Options.IncludeGroupLengths) continue;
            item.Tag.Value.TryFormat(key, out _, "X8", CultureInfo.InvariantCulture);
            writer.WritePropertyName(key);
            context.Path.Add(item.Tag);
            writer.WriteStartObject();
            WriteAttribute(writer, item, charset, context);
            writer.WriteEndObject();
            context.Path.RemoveAt(context.Path.Count - 1);
        }
        writer.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter writer, DicomItem item, DicomCharacterSet charset, Context context)
    {
        var vr = item.VR == DicomVR.None ? DicomVR.UN : item.VR;
        writer.WriteString("vr"u8, vr.ToString());
        switch (item)
        {
            case DicomSequence sequence:
                if (sequence.Items.Count == 0) return;
                writer.WritePropertyName("Value"u8);
                writer.WriteStartArray();
                foreach (var child in sequence.Items)
                {
                    // An item with its own (0008,0005) uses it; otherwise it inherits the enclosing character set.
                    var childCharset = child.Contains(DicomTags.SpecificCharacterSet) ? child.CharacterSet : charset;
                    WriteDataset(writer, child, childCharset, context);
                }
                writer.WriteEndArray();
                return;
            case DicomFragmentSequence fragments:
                WriteBinary(writer, fragments, context);
                return;
            case DicomElement element:
                if (IsBinaryVR(vr) || element.Value is BulkDataUriByteSource)
                {
                    WriteBinary(writer, element, context);
                    return;
                }
                if (element.Length == 0) return;
                if (vr.IsString()) WriteText(writer, element, vr, charset);
                else WriteNumbers(writer, element, vr);
                return;
            default:
                throw new InvalidOperationException($"Unknown item type {item.GetType().Name} for {item.Tag}.");
        }
    }

    /// <summary>True for the VRs whose values DICOM JSON carries as InlineBinary or BulkDataURI (F.2.7).</summary>
    internal static bool IsBinaryVR(DicomVR vr) =>
        vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN or DicomVR.None;

    // ------------------------------------------------------------------ text

    private static void WriteText(Utf8JsonWriter writer, DicomElement element, DicomVR vr, DicomCharacterSet charset)
    {
        var text = charset.Decode(element.Value.GetMemory().Span, vr);
        if (vr.IsSingleValuedText())
        {
            var single = text.TrimEnd(' ', '\0');
            if (single.Length == 0) return;
            writer.WritePropertyName("Value"u8);
            writer.WriteStartArray();
            writer.WriteStringValue(single);
            writer.WriteEndArray();
            return;
        }

        var values = text.Split('\\');
        for (var i = 0; i < values.Length; i++)
            values[i] = vr == DicomVR.UC ? values[i].TrimEnd(' ', '\0') : values[i].Trim(' ', '\0');
        if (values.Length == 1 && values[0].Length == 0) return; // only padding: an empty value

        writer.WritePropertyName("Value"u8);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            if (value.Length == 0)
            {
                writer.WriteNullValue();
                continue;
            }
            switch (vr)
            {
                case DicomVR.PN: WritePersonName(writer, value); break;
                case DicomVR.IS: WriteIntegerString(writer, value); break;
                case DicomVR.DS: WriteDecimalString(writer, value); break;
                default: writer.WriteStringValue(value); break;
            }
        }
        writer.WriteEndArray();
    }

    private static void WritePersonName(Utf8JsonWriter writer, string value)
    {
        var groups = value.Split('=');
        var count = Math.Min(groups.Length, PersonNameGroups.Length);
        var any = false;
        for (var g = 0; g < count; g++)
        {
            groups[g] = groups[g].TrimEnd(' ');
            any |= groups[g].Length > 0;
        }
        if (!any)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        for (var g = 0; g < count; g++)
            if (groups[g].Length > 0) writer.WriteString(PersonNameGroups[g], groups[g]);
        writer.WriteEndObject();
    }

    private static void WriteIntegerString(Utf8JsonWriter writer, string value)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            writer.WriteStringValue(value); // not a valid IS: keep the text
        else if (IsJsonNumber(value))
            writer.WriteRawValue(value);
        else
            writer.WriteNumberValue(number); // "+5", "007"
    }

    private static void WriteDecimalString(Utf8JsonWriter writer, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            writer.WriteStringValue(value); // not a valid DS (or NaN/Infinity, which JSON cannot hold): keep the text
        else if (IsJsonNumber(value))
            writer.WriteRawValue(value);
        else
            writer.WriteNumberValue(number); // "+1.5", ".5", "1."
    }

    /// <summary>True when <paramref name="s"/> matches the JSON number grammar (RFC 8259 §6).</summary>
    internal static bool IsJsonNumber(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-') i++;
        if (i >= s.Length) return false;
        if (s[i] == '0') i++;
        else if (s[i] is >= '1' and <= '9') while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        else return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        return i == s.Length;
    }

    // ------------------------------------------------------------------ binary numbers and tags

    private static void WriteNumbers(Utf8JsonWriter writer, DicomElement element, DicomVR vr)
    {
        var bytes = element.Value.GetMemory().Span;
        var size = vr.ValueSize();
        if (size == 0 || bytes.Length < size) return; // nothing whole to write: an empty value
        bytes = bytes[..(bytes.Length - bytes.Length % size)]; // a stray trailing byte is not a value

        writer.WritePropertyName("Value"u8);
        writer.WriteStartArray();
        switch (vr)
        {
            case DicomVR.AT:
                {
                    Span<char> hex = stackalloc char[8];
                    for (var i = 0; i < bytes.Length; i += 4)
                    {
                        var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[i..]);
                        var elem = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i + 2)..]);
                        new DicomTag(group, elem).Value.TryFormat(hex, out _, "X8", CultureInfo.InvariantCulture);
                        writer.WriteStringValue(hex);
                    }
                    break;
                }
            case DicomVR.US:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes)) writer.WriteNumberValue(v);
                break;
            case DicomVR.SS:
                foreach (var v in MemoryMarshal.Cast<byte, short>(bytes)) writer.WriteNumberValue(v);
                break;
            case DicomVR.UL:
                foreach (var v in MemoryMarshal.Cast<byte, uint>(bytes)) writer.WriteNumberValue(v);
                break;
            case DicomVR.SL:
                foreach (var v in MemoryMarshal.Cast<byte, int>(bytes)) writer.WriteNumberValue(v);
                break;
            case DicomVR.FL:
                foreach (var v in MemoryMarshal.Cast<byte, float>(bytes))
                {
                    if (float.IsFinite(v)) writer.WriteNumberValue(v);
                    else writer.WriteStringValue(NonFiniteName(v));
                }
                break;
            case DicomVR.FD:
                foreach (var v in MemoryMarshal.Cast<byte, double>(bytes))
                {
                    if (double.IsFinite(v)) writer.WriteNumberValue(v);
                    else writer.WriteStringValue(NonFiniteName(v));
                }
                break;
            case DicomVR.SV:
                foreach (var v in MemoryMarshal.Cast<byte, long>(bytes))
                {
                    if (v is >= -MaxSafeInteger and <= MaxSafeInteger) writer.WriteNumberValue(v);
                    else writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
                }
                break;
            case DicomVR.UV:
                foreach (var v in MemoryMarshal.Cast<byte, ulong>(bytes))
                {
                    if (v <= MaxSafeInteger) writer.WriteNumberValue(v);
                    else writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
                }
                break;
            default:
                throw new InvalidOperationException($"{element.Tag}: VR {vr} is not a numeric VR.");
        }
        writer.WriteEndArray();
    }

    private static string NonFiniteName(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";

    // ------------------------------------------------------------------ binary values

    private static void WriteBinary(Utf8JsonWriter writer, DicomItem item, Context context)
    {
        var reference = item is DicomElement { Value: BulkDataUriByteSource b } ? b : null;
        long length = item switch
        {
            DicomElement e => e.Length,
            DicomFragmentSequence f => f.Fragments.Count == 0 ? 0 : EncapsulatedLength(f),
            _ => 0,
        };
        if (reference is null && length == 0) return; // empty value: only "vr"

        var options = context.Options;
        if (options.BulkDataUriResolver is { } resolver && (reference is not null || length > options.InlineBinaryThreshold))
        {
            var uri = resolver([.. context.Path], item);
            if (uri is not null)
            {
                writer.WriteString("BulkDataURI"u8, uri);
                return;
            }
        }
        if (reference is not null)
        {
            writer.WriteString("BulkDataURI"u8, reference.Uri);
            return;
        }
        if (!options.InlineBinary) return;

        writer.WritePropertyName("InlineBinary"u8);
        var base64 = new Base64Segments(writer);
        if (item is DicomFragmentSequence fragments)
        {
            Span<byte> header = stackalloc byte[8];
            WriteItemHeader(header, (uint)(fragments.OffsetTable.Count * 4));
            base64.Write(header);
            Span<byte> four = stackalloc byte[4];
            foreach (var offset in fragments.OffsetTable)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(four, offset);
                base64.Write(four);
            }
            foreach (var fragment in fragments.Fragments)
            {
                var odd = (fragment.Length & 1) != 0;
                WriteItemHeader(header, checked((uint)(fragment.Length + (odd ? 1 : 0))));
                base64.Write(header);
                base64.Write(fragment);
                if (odd) base64.Write([0]);
            }
        }
        else
        {
            base64.Write(((DicomElement)item).Value);
        }
        base64.Complete();
    }

    /// <summary>Bytes of the encapsulated value field without the sequence delimiter: offset table item plus fragment items.</summary>
    private static long EncapsulatedLength(DicomFragmentSequence f)
    {
        long total = 8 + 4L * f.OffsetTable.Count;
        foreach (var fragment in f.Fragments) total += 8 + fragment.Length + (fragment.Length & 1);
        return total;
    }

    private static void WriteItemHeader(Span<byte> header, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(header, DicomTag.Item.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], DicomTag.Item.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
    }

    /// <summary>Feeds bytes to <see cref="Utf8JsonWriter.WriteBase64StringSegment"/> in whole 3-byte groups.</summary>
    private sealed class Base64Segments(Utf8JsonWriter writer)
    {
        private const int ChunkSize = 3 * 21_846; // ~64 KiB, a multiple of 3 so no segment splits a base64 quantum
        private readonly byte[] _buffer = new byte[ChunkSize];
        private int _filled;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                var n = Math.Min(bytes.Length, ChunkSize - _filled);
                bytes[..n].CopyTo(_buffer.AsSpan(_filled));
                _filled += n;
                bytes = bytes[n..];
                if (_filled == ChunkSize) Flush(final: false);
            }
        }

        public void Write(ByteSource source)
        {
            if (source.IsInMemory)
            {
                Write(source.GetMemory().Span);
                return;
            }
            using var stream = source.OpenRead();
            while (true)
            {
                var n = stream.Read(_buffer, _filled, ChunkSize - _filled);
                if (n == 0) break;
                _filled += n;
                if (_filled == ChunkSize) Flush(final: false);
            }
        }

        public void Complete() => Flush(final: true);

        private void Flush(bool final)
        {
            writer.WriteBase64StringSegment(_buffer.AsSpan(0, _filled), final);
            _filled = 0;
        }
    }
}
