using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FedNano.Dicom;

/// <summary>
/// Reads the DICOM JSON Model (PS3.18 Annex F) into datasets.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Keys must be 8 hexadecimal digits (upper case is what PS3.18 writes; lower case is accepted); each
/// attribute needs a known <c>"vr"</c> (a missing one is taken from the dictionary for public tags) and at most one
/// of <c>"Value"</c>, <c>"InlineBinary"</c>, <c>"BulkDataURI"</c>. Other members are ignored.</item>
/// <item>Text is Unicode in JSON, so character-set dependent values (SH LO ST LT UT PN UC) are stored as UTF-8.
/// When any of them holds a non-ASCII character, (0008,0005) of the result is set to <c>ISO_IR 192</c>, replacing
/// whatever the JSON declared (in nested items too): the bytes stored are UTF-8, and a declared Latin-1 or ISO 2022
/// set would make every reader decode them wrongly. When all such text is ASCII, an incoming (0008,0005) is kept
/// as is (ASCII bytes mean the same in every DICOM character set).</item>
/// <item><c>null</c> entries of a text value are empty values; IS and DS accept numbers (kept with their
/// original digits; a DS number longer than 16 characters is reformatted) and strings (kept as given, valid or
/// not). FL and FD accept the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>; SV and UV accept
/// numbers and decimal strings. AT values are 8-hex-digit strings.</item>
/// <item><c>"InlineBinary"</c> is base64 of the little-endian value. For Pixel Data (7FE0,0010) OB it is read back
/// as encapsulated pixel data (a <see cref="DicomFragmentSequence"/>) when the bytes are exactly a Basic Offset
/// Table item followed by one or more fragment items (optionally a sequence delimiter), the form
/// <see cref="DicomJsonWriter"/> and pydicom write.</item>
/// <item><c>"BulkDataURI"</c> is passed to the bulk data loader when one is given; without one, the element holds
/// a <see cref="BulkDataUriByteSource"/> that remembers the URI (written back by <see cref="DicomJsonWriter"/>)
/// and throws a clear error if its bytes are needed.</item>
/// <item>Every problem (malformed JSON, a bad key, an unknown VR, a value of the wrong shape) raises
/// <see cref="DicomDataException"/> whose message names the JSON path, e.g. <c>$.00100010.Value[0]</c>.</item>
/// </list>
/// </remarks>
public static class DicomJsonReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };

    /// <summary>Reads a DICOM JSON object.</summary>
    /// <param name="json">The JSON text: one object.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references (see <see cref="BulkDataUriByteSource"/>).</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static DicomDataset Deserialize(string json, Func<string, ByteSource>? bulkDataLoader = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(Encoding.UTF8.GetBytes(json), bulkDataLoader);
    }

    /// <summary>Reads a DICOM JSON object from UTF-8 bytes.</summary>
    /// <param name="utf8Json">The UTF-8 JSON: one object.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static DicomDataset Deserialize(ReadOnlyMemory<byte> utf8Json, Func<string, ByteSource>? bulkDataLoader = null)
    {
        using var document = Parse(utf8Json);
        return Read(document.RootElement, bulkDataLoader);
    }

    /// <summary>Reads a DICOM JSON object from a UTF-8 stream (read to its end).</summary>
    /// <param name="utf8Json">The stream.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static DicomDataset Deserialize(Stream utf8Json, Func<string, ByteSource>? bulkDataLoader = null) =>
        Deserialize(ReadAll(utf8Json), bulkDataLoader);

    /// <summary>Reads a JSON array of DICOM JSON objects (a QIDO-RS or WADO-RS metadata response).</summary>
    /// <param name="json">The JSON text: an array of objects.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The datasets, in order.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static IReadOnlyList<DicomDataset> DeserializeArray(string json, Func<string, ByteSource>? bulkDataLoader = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeArray(Encoding.UTF8.GetBytes(json), bulkDataLoader);
    }

    /// <summary>Reads a UTF-8 JSON array of DICOM JSON objects.</summary>
    /// <param name="utf8Json">The UTF-8 JSON: an array of objects.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The datasets, in order.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static IReadOnlyList<DicomDataset> DeserializeArray(ReadOnlyMemory<byte> utf8Json, Func<string, ByteSource>? bulkDataLoader = null)
    {
        using var document = Parse(utf8Json);
        return ReadArray(document.RootElement, bulkDataLoader);
    }

    /// <summary>Reads a UTF-8 JSON array of DICOM JSON objects from a stream (read to its end).</summary>
    /// <param name="utf8Json">The stream.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The datasets, in order.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static IReadOnlyList<DicomDataset> DeserializeArray(Stream utf8Json, Func<string, ByteSource>? bulkDataLoader = null) =>
        DeserializeArray(ReadAll(utf8Json), bulkDataLoader);

    /// <summary>Reads the DICOM JSON object at the current position of <paramref name="reader"/> (which is left after it).</summary>
    /// <param name="reader">A reader positioned on (or just before) the object's start.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static DicomDataset Read(ref Utf8JsonReader reader, Func<string, ByteSource>? bulkDataLoader = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new DicomDataException(
                $"Malformed DICOM JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}");
        }
        using (document) return Read(document.RootElement, bulkDataLoader);
    }

    /// <summary>Reads a DICOM JSON object that is already parsed.</summary>
    /// <param name="element">The object.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path (from <paramref name="element"/> as <c>$</c>).</exception>
    public static DicomDataset Read(JsonElement element, Func<string, ByteSource>? bulkDataLoader = null) =>
        ReadRoot(element, "$", bulkDataLoader);

    /// <summary>Reads a parsed JSON array of DICOM JSON objects.</summary>
    /// <param name="element">The array.</param>
    /// <param name="bulkDataLoader">Fetches the value behind a BulkDataURI; null to keep references.</param>
    /// <returns>The datasets, in order.</returns>
    /// <exception cref="DicomDataException">The input is not valid DICOM JSON; the message names the JSON path.</exception>
    public static IReadOnlyList<DicomDataset> ReadArray(JsonElement element, Func<string, ByteSource>? bulkDataLoader = null)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw Fail("$", $"expected an array of datasets but found {Describe(element.ValueKind)}");
        var result = new List<DicomDataset>(element.GetArrayLength());
        var i = 0;
        foreach (var entry in element.EnumerateArray())
            result.Add(ReadRoot(entry, $"$[{i++}]", bulkDataLoader));
        return result;
    }

    // ------------------------------------------------------------------ parsing

    private static byte[] ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var path = LocateSyntaxError(utf8Json.Span);
            throw new DicomDataException(
                $"Malformed DICOM JSON at {path} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}");
        }
    }

    /// <summary>The JSON path of the last token read before a syntax error (for the error message).</summary>
    private static string LocateSyntaxError(ReadOnlySpan<byte> utf8Json)
    {
        var frames = new List<(bool IsArray, int Index, string? Property)>();
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        BeginValue(frames);
                        frames.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        frames[^1] = (false, -1, reader.GetString());
                        break;
                    default:
                        BeginValue(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // frames now describe where the reader stopped.
        }
        catch (InvalidOperationException)
        {
        }
        var path = new StringBuilder("$");
        foreach (var (isArray, index, property) in frames)
        {
            if (isArray && index >= 0) path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else if (!isArray && property is not null) path.Append('.').Append(property);
        }
        return path.ToString();

        static void BeginValue(List<(bool IsArray, int Index, string? Property)> frames)
        {
            if (frames.Count > 0 && frames[^1].IsArray) frames[^1] = (true, frames[^1].Index + 1, null);
        }
    }

    // ------------------------------------------------------------------ datasets

    private sealed class ReadContext(Func<string, ByteSource>? loader)
    {
        public Func<string, ByteSource>? Loader { get; } = loader;

        /// <summary>Set when a character-set dependent value holds non-ASCII text (stored as UTF-8).</summary>
        public bool NeedsUtf8 { get; set; }
    }

    private static DicomDataset ReadRoot(JsonElement element, string path, Func<string, ByteSource>? loader)
    {
        var context = new ReadContext(loader);
        var dataset = ReadDataset(element, path, context);
        if (context.NeedsUtf8) DeclareUtf8(dataset, isRoot: true);
        return dataset;
    }

    /// <summary>Sets (0008,0005) to ISO_IR 192 at the root and wherever a nested item declares its own character set.</summary>
    private static void DeclareUtf8(DicomDataset dataset, bool isRoot)
    {
        if (isRoot || dataset.Contains(DicomTags.SpecificCharacterSet))
            dataset.AddOrUpdate(new DicomElement(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"u8.ToArray()));
        foreach (var item in dataset)
            if (item is DicomSequence sequence)
                foreach (var child in sequence.Items) DeclareUtf8(child, isRoot: false);
    }

    private static DicomDataset ReadDataset(JsonElement element, string path, ReadContext context)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Fail(path, $"expected an object (a dataset) but found {Describe(element.ValueKind)}");
        var dataset = new DicomDataset();
        foreach (var property in element.EnumerateObject())
        {
            var attributePath = path + "." + property.Name;
            if (!TryParseKey(property.Name, out var tag))
                throw Fail(attributePath, $"'{property.Name}' is not an attribute tag: keys must be 8 hexadecimal digits (GGGGEEEE)");
            if (dataset.Contains(tag))
                throw Fail(attributePath, $"attribute {tag} appears more than once");
            dataset.AddOrUpdate(ReadAttribute(tag, property.Value, attributePath, context));
        }
        return dataset;
    }

    private static bool TryParseKey(string key, out DicomTag tag)
    {
        tag = default;
        if (key.Length != 8) return false;
        foreach (var c in key)
            if (!char.IsAsciiHexDigit(c)) return false;
        tag = new DicomTag(uint.Parse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    // ------------------------------------------------------------------ attributes

    private static DicomItem ReadAttribute(DicomTag tag, JsonElement attribute, string path, ReadContext context)
    {
        if (attribute.ValueKind != JsonValueKind.Object)
            throw Fail(path, $"expected an attribute object with \"vr\" but found {Describe(attribute.ValueKind)}");

        JsonElement? vrMember = null, value = null, inline = null, bulk = null;
        foreach (var member in attribute.EnumerateObject())
        {
            switch (member.Name)
            {
                case "vr": vrMember = member.Value; break;
                case "Value": value = member.Value; break;
                case "InlineBinary": inline = member.Value; break;
                case "BulkDataURI": bulk = member.Value; break;
                default: break; // unknown members are ignored
            }
        }

        DicomVR vr;
        if (vrMember is { } v)
        {
            if (v.ValueKind != JsonValueKind.String)
                throw Fail(path + ".vr", $"expected a VR string but found {Describe(v.ValueKind)}");
            var code = v.GetString();
            if (!DicomVRInfo.TryParse(code ?? "", out vr))
                throw Fail(path + ".vr", $"unknown VR '{code}'");
        }
        else
        {
            vr = DicomDictionary.TryGet(tag, out var entry) && !tag.IsPrivate ? entry.VR : DicomVR.None;
            if (vr is DicomVR.None or DicomVR.UN)
                throw Fail(path, "\"vr\" is missing");
        }

        var present = (value is null ? 0 : 1) + (inline is null ? 0 : 1) + (bulk is null ? 0 : 1);
        if (present > 1)
            throw Fail(path, "an attribute may have only one of \"Value\", \"InlineBinary\" and \"BulkDataURI\"");

        if (bulk is { } b) return ReadBulkData(tag, vr, b, path + ".BulkDataURI", context);
        if (inline is { } i) return ReadInlineBinary(tag, vr, i, path + ".InlineBinary");
        if (value is not { } values || values.ValueKind == JsonValueKind.Null || values.GetArrayLengthOrZero() == 0)
        {
            if (value is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) } wrong)
                throw Fail(path + ".Value", $"expected an array but found {Describe(wrong.ValueKind)}");
            return vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ByteSource.Empty);
        }

        var valuePath = path + ".Value";
        return vr switch
        {
            DicomVR.SQ => ReadSequence(tag, values, valuePath, context),
            DicomVR.PN => new DicomElement(tag, vr, EncodeText(ReadPersonNames(values, valuePath), vr, valuePath, context)),
            DicomVR.AT => new DicomElement(tag, vr, ReadTags(values, valuePath)),
            _ when vr.IsString() => new DicomElement(tag, vr, EncodeText(ReadStrings(values, vr, valuePath), vr, valuePath, context)),
            _ => new DicomElement(tag, vr, ReadNumbers(values, vr, valuePath)),
        };
    }

    private static int GetArrayLengthOrZero(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.GetArrayLength() : 0;

    private static DicomItem ReadBulkData(DicomTag tag, DicomVR vr, JsonElement uriElement, string path, ReadContext context)
    {
        if (vr == DicomVR.SQ) throw Fail(path, "a sequence cannot be bulk data");
        if (uriElement.ValueKind != JsonValueKind.String)
            throw Fail(path, $"expected a URI string but found {Describe(uriElement.ValueKind)}");
        var uri = GetString(uriElement, path);
        if (context.Loader is null) return new DicomElement(tag, vr, new BulkDataUriByteSource(uri));
        var source = context.Loader(uri)
            ?? throw Fail(path, $"the bulk data loader returned nothing for '{uri}'");
        return new DicomElement(tag, vr, source);
    }

    private static DicomItem ReadInlineBinary(DicomTag tag, DicomVR vr, JsonElement base64, string path)
    {
        if (vr == DicomVR.SQ) throw Fail(path, "a sequence cannot be inline binary");
        if (base64.ValueKind == JsonValueKind.Null) return new DicomElement(tag, vr, ByteSource.Empty);
        if (base64.ValueKind != JsonValueKind.String)
            throw Fail(path, $"expected a base64 string but found {Describe(base64.ValueKind)}");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(GetString(base64, path));
        }
        catch (FormatException)
        {
            throw Fail(path, "not valid base64");
        }
        if (tag == DicomTags.PixelData && vr == DicomVR.OB && TryReadEncapsulated(tag, bytes, out var fragments))
            return fragments;
        return new DicomElement(tag, vr, bytes);
    }

    /// <summary>
    /// Recognises an encapsulated value field: a Basic Offset Table item (length a multiple of 4), then at least one
    /// fragment item, the items covering the bytes exactly (a final sequence delimiter item is allowed).
    /// </summary>
    private static bool TryReadEncapsulated(DicomTag tag, byte[] bytes, out DicomFragmentSequence fragments)
    {
        fragments = null!;
        var span = bytes.AsSpan();
        if (!TryItemHeader(span, 0, out var isItem, out var tableLength) || !isItem || tableLength % 4 != 0
            || 8L + tableLength > span.Length) return false;
        var table = new List<uint>((int)(tableLength / 4));
        for (var p = 8; p < 8 + tableLength; p += 4) table.Add(BinaryPrimitives.ReadUInt32LittleEndian(span[p..]));
        var list = new List<ByteSource>();
        long pos = 8 + tableLength;
        while (pos < span.Length)
        {
            if (!TryItemHeader(span, (int)pos, out isItem, out var length)) return false;
            if (!isItem)
            {
                // Only a zero-length sequence delimiter, and only at the very end.
                if (length != 0 || pos + 8 != span.Length) return false;
                pos += 8;
                break;
            }
            if (pos + 8 + length > span.Length) return false;
            list.Add(ByteSource.FromBytes(bytes.AsMemory((int)pos + 8, (int)length)));
            pos += 8 + length;
        }
        if (list.Count == 0) return false;
        fragments = new DicomFragmentSequence(tag, DicomVR.OB, table, list);
        return true;
    }

    /// <summary>Reads an item (isItem) or sequence delimiter (not isItem) header at <paramref name="pos"/>; false for anything else.</summary>
    private static bool TryItemHeader(ReadOnlySpan<byte> span, int pos, out bool isItem, out uint length)
    {
        isItem = false;
        length = 0;
        if (pos + 8 > span.Length) return false;
        var group = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
        var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
        length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
        var tag = new DicomTag(group, element);
        if (tag == DicomTag.Item) isItem = true;
        else if (tag != DicomTag.SequenceDelimitationItem) return false;
        return length != 0xFFFFFFFF;
    }

    private static DicomSequence ReadSequence(DicomTag tag, JsonElement values, string path, ReadContext context)
    {
        var items = new List<DicomDataset>(values.GetArrayLength());
        var i = 0;
        foreach (var entry in values.EnumerateArray())
        {
            items.Add(ReadDataset(entry, $"{path}[{i}]", context));
            i++;
        }
        return new DicomSequence(tag, items);
    }

    // ------------------------------------------------------------------ text

    private static List<string> ReadStrings(JsonElement values, DicomVR vr, string path)
    {
        var result = new List<string>(values.GetArrayLength());
        var i = 0;
        foreach (var entry in values.EnumerateArray())
        {
            var entryPath = $"{path}[{i}]";
            result.Add(entry.ValueKind switch
            {
                JsonValueKind.Null => "",
                JsonValueKind.String => GetString(entry, entryPath),
                JsonValueKind.Number when vr == DicomVR.IS => IntegerStringFromNumber(entry),
                JsonValueKind.Number when vr == DicomVR.DS => DecimalStringFromNumber(entry),
                _ => throw Fail(entryPath, $"expected a {(vr is DicomVR.IS or DicomVR.DS ? "number, string" : "string")} or null for VR {vr} but found {Describe(entry.ValueKind)}"),
            });
            i++;
        }
        if (vr.IsSingleValuedText() && result.Count > 1)
            throw Fail(path, $"VR {vr} holds a single value but {result.Count} were given");
        return result;
    }

    private static string IntegerStringFromNumber(JsonElement entry)
    {
        var raw = entry.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0) return raw;
        // 5.0 or 1e3: an integer written as a decimal; anything else is kept as given (an invalid IS, like an invalid string).
        if (entry.TryGetDouble(out var d) && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15)
            return ((long)d).ToString(CultureInfo.InvariantCulture);
        return raw;
    }

    private static string DecimalStringFromNumber(JsonElement entry)
    {
        var raw = entry.GetRawText();
        if (raw.Length <= 16) return raw; // the sender's digits, exactly
        return entry.TryGetDouble(out var d) && double.IsFinite(d) ? DicomDecimalString.Format(d) : raw;
    }

    private static List<string> ReadPersonNames(JsonElement values, string path)
    {
        var result = new List<string>(values.GetArrayLength());
        var i = 0;
        foreach (var entry in values.EnumerateArray())
        {
            var entryPath = $"{path}[{i}]";
            switch (entry.ValueKind)
            {
                case JsonValueKind.Null:
                    result.Add("");
                    break;
                case JsonValueKind.String: // not PS3.18, but some writers send the encoded form
                    result.Add(GetString(entry, entryPath));
                    break;
                case JsonValueKind.Object:
                    {
                        var groups = new string[3];
                        foreach (var member in entry.EnumerateObject())
                        {
                            var index = member.Name switch { "Alphabetic" => 0, "Ideographic" => 1, "Phonetic" => 2, _ => -1 };
                            if (index < 0) continue;
                            var memberPath = entryPath + "." + member.Name;
                            groups[index] = member.Value.ValueKind switch
                            {
                                JsonValueKind.String => GetString(member.Value, memberPath),
                                JsonValueKind.Null => "",
                                _ => throw Fail(memberPath, $"expected a string but found {Describe(member.Value.ValueKind)}"),
                            };
                        }
                        var count = groups[2] is { Length: > 0 } ? 3 : groups[1] is { Length: > 0 } ? 2 : 1;
                        result.Add(string.Join('=', groups.Take(count).Select(g => g ?? "")));
                        break;
                    }
                default:
                    throw Fail(entryPath, $"expected a person name object or null but found {Describe(entry.ValueKind)}");
            }
            i++;
        }
        return result;
    }

    private static byte[] EncodeText(List<string> values, DicomVR vr, string path, ReadContext context)
    {
        var text = string.Join('\\', values);
        if (vr.IsCharacterSetDependent())
        {
            if (!Ascii.IsValid(text)) context.NeedsUtf8 = true;
            try
            {
                return DicomCharacterSet.Utf8.Encode(text, vr);
            }
            catch (ArgumentException ex)
            {
                throw Fail(path, ex.Message);
            }
        }
        // Default-repertoire VRs (AE CS DA DS DT IS TM UI UR AS): ASCII; stray Latin-1 characters are kept as
        // Latin-1 bytes, which is how such bytes are decoded again.
        for (var i = 0; i < text.Length; i++)
            if (text[i] > 0xFF)
                throw Fail(path, $"character '{text[i]}' (U+{(int)text[i]:X4}) is not allowed in VR {vr}, which uses the default repertoire");
        return Encoding.Latin1.GetBytes(text);
    }

    // ------------------------------------------------------------------ tags and numbers

    private static byte[] ReadTags(JsonElement values, string path)
    {
        var bytes = new byte[values.GetArrayLength() * 4];
        var i = 0;
        foreach (var entry in values.EnumerateArray())
        {
            var entryPath = $"{path}[{i}]";
            if (entry.ValueKind != JsonValueKind.String || !TryParseKey(GetString(entry, entryPath), out var tag))
                throw Fail(entryPath, $"expected a tag as 8 hexadecimal digits but found {Describe(entry)}");
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 * i), tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 * i + 2), tag.Element);
            i++;
        }
        return bytes;
    }

    private static byte[] ReadNumbers(JsonElement values, DicomVR vr, string path)
    {
        var size = vr is DicomVR.OB or DicomVR.UN ? 1 : vr.ValueSize();
        if (size == 0) throw Fail(path, $"VR {vr} cannot have a \"Value\"");
        var bytes = new byte[values.GetArrayLength() * size];
        var i = 0;
        foreach (var entry in values.EnumerateArray())
        {
            var entryPath = $"{path}[{i}]";
            var dest = bytes.AsSpan(i * size);
            switch (vr)
            {
                case DicomVR.OB or DicomVR.UN: dest[0] = (byte)ReadInteger(entry, entryPath, vr, byte.MinValue, byte.MaxValue); break;
                case DicomVR.US or DicomVR.OW: BinaryPrimitives.WriteUInt16LittleEndian(dest, (ushort)ReadInteger(entry, entryPath, vr, ushort.MinValue, ushort.MaxValue)); break;
                case DicomVR.SS: BinaryPrimitives.WriteInt16LittleEndian(dest, (short)ReadInteger(entry, entryPath, vr, short.MinValue, short.MaxValue)); break;
                case DicomVR.UL or DicomVR.OL: BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)ReadInteger(entry, entryPath, vr, uint.MinValue, uint.MaxValue)); break;
                case DicomVR.SL: BinaryPrimitives.WriteInt32LittleEndian(dest, (int)ReadInteger(entry, entryPath, vr, int.MinValue, int.MaxValue)); break;
                case DicomVR.SV: BinaryPrimitives.WriteInt64LittleEndian(dest, ReadInteger(entry, entryPath, vr, long.MinValue, long.MaxValue)); break;
                case DicomVR.UV or DicomVR.OV: BinaryPrimitives.WriteUInt64LittleEndian(dest, ReadUnsigned64(entry, entryPath, vr)); break;
                case DicomVR.FL or DicomVR.OF: BinaryPrimitives.WriteSingleLittleEndian(dest, ReadSingle(entry, entryPath, vr)); break;
                case DicomVR.FD or DicomVR.OD: BinaryPrimitives.WriteDoubleLittleEndian(dest, ReadDouble(entry, entryPath, vr)); break;
                default: throw Fail(path, $"VR {vr} cannot have a \"Value\"");
            }
            i++;
        }
        return bytes;
    }

    private static long ReadInteger(JsonElement entry, string path, DicomVR vr, long min, long max)
    {
        long value;
        switch (entry.ValueKind)
        {
            case JsonValueKind.Number:
                if (!entry.TryGetInt64(out value))
                {
                    // 5.0 or 1e3 are integers too; 2.5 or 1e30 are not.
                    if (!entry.TryGetDecimal(out var d) || d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue)
                        throw Fail(path, $"{entry.GetRawText()} is not an integer in the range of VR {vr}");
                    value = (long)d;
                }
                break;
            case JsonValueKind.String:
                if (!long.TryParse(GetString(entry, path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                    throw Fail(path, $"\"{entry.GetString()}\" is not an integer for VR {vr}");
                break;
            default:
                throw Fail(path, $"expected a number for VR {vr} but found {Describe(entry.ValueKind)}");
        }
        if (value < min || value > max)
            throw Fail(path, $"{value} is out of range for VR {vr} ({min} to {max})");
        return value;
    }

    private static ulong ReadUnsigned64(JsonElement entry, string path, DicomVR vr)
    {
        ulong value;
        switch (entry.ValueKind)
        {
            case JsonValueKind.Number:
                if (!entry.TryGetUInt64(out value))
                {
                    if (!entry.TryGetDecimal(out var d) || d != decimal.Truncate(d) || d < 0 || d > ulong.MaxValue)
                        throw Fail(path, $"{entry.GetRawText()} is not an integer in the range of VR {vr}");
                    value = (ulong)d;
                }
                return value;
            case JsonValueKind.String:
                if (!ulong.TryParse(GetString(entry, path), NumberStyles.None, CultureInfo.InvariantCulture, out value))
                    throw Fail(path, $"\"{entry.GetString()}\" is not an unsigned integer for VR {vr}");
                return value;
            default:
                throw Fail(path, $"expected a number for VR {vr} but found {Describe(entry.ValueKind)}");
        }
    }

    private static float ReadSingle(JsonElement entry, string path, DicomVR vr)
    {
        switch (entry.ValueKind)
        {
            case JsonValueKind.Number:
                if (entry.TryGetSingle(out var value)) return value;
                // Out of float range: parse ourselves (overflow gives ±Infinity, as IEEE rounding would).
                return float.Parse(entry.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                if (TryParseNamedFloat(GetString(entry, path), out var d)) return (float)d;
                throw Fail(path, $"\"{entry.GetString()}\" is not a number for VR {vr}");
            default:
                throw Fail(path, $"expected a number for VR {vr} but found {Describe(entry.ValueKind)}");
        }
    }

    private static double ReadDouble(JsonElement entry, string path, DicomVR vr)
    {
        switch (entry.ValueKind)
        {
            case JsonValueKind.Number:
                if (entry.TryGetDouble(out var value)) return value;
                return double.Parse(entry.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                if (TryParseNamedFloat(GetString(entry, path), out var d)) return d;
                throw Fail(path, $"\"{entry.GetString()}\" is not a number for VR {vr}");
            default:
                throw Fail(path, $"expected a number for VR {vr} but found {Describe(entry.ValueKind)}");
        }
    }

    /// <summary>Parses a number in a string, including "NaN", "Infinity" and "-Infinity" (any case; "+Infinity", "inf").</summary>
    private static bool TryParseNamedFloat(string s, out double value)
    {
        var t = s.Trim();
        if (t.Equals("NaN", StringComparison.OrdinalIgnoreCase)) { value = double.NaN; return true; }
        if (t.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("+Infinity", StringComparison.OrdinalIgnoreCase)
            || t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase))
        { value = double.PositiveInfinity; return true; }
        if (t.Equals("-Infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("-inf", StringComparison.OrdinalIgnoreCase))
        { value = double.NegativeInfinity; return true; }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    // ------------------------------------------------------------------ helpers

    private static string GetString(JsonElement element, string path)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException ex)
        {
            throw Fail(path, ex.Message); // e.g. an unpaired surrogate escape
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)) return Describe(element.ValueKind);
        var raw = element.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }

    private static DicomDataException Fail(string path, string message) =>
        new($"Invalid DICOM JSON at {path}: {message}.");
}
