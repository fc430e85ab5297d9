using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FedNano.Dicom;

/// <summary>
/// Parses DICOM Part 10 files and raw datasets in every uncompressed transfer syntax (implicit/explicit VR,
/// little/big endian, deflated) and keeps encapsulated pixel data as fragments. Large values are read lazily
/// when the input is a file. Recoverable defects become warnings; unusable data raises <see cref="DicomFormatException"/>.
/// </summary>
public sealed class DicomReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly DicomReadOptions _options;
    private readonly List<DicomReadWarning> _warnings = [];
    private DicomInput _input = null!;
    private string? _filePath;
    private bool _lazy;

    private DicomReader(DicomReadOptions? options) => _options = options ?? DicomReadOptions.Default;

    /// <summary>Reads a file, keeping large values in the file until they are needed.</summary>
    public static DicomFile ReadFile(string path, DicomReadOptions? options = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var reader = new DicomReader(options) { _filePath = Path.GetFullPath(path) };
        return reader.Read(fs);
    }

    /// <summary>Reads from a stream; every value is loaded into memory.</summary>
    public static DicomFile ReadStream(Stream stream, DicomReadOptions? options = null) => new DicomReader(options).Read(stream);

    private DicomFile Read(Stream stream)
    {
        _input = new DicomInput(stream);
        var meta = new DicomDataset();
        var hasPreamble = false;
        DicomTransferSyntax syntax;

        var head = _input.PeekAvailable(132);
        if (head.Length >= 132 && head.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            hasPreamble = true;
            _input.Skip(132);
            syntax = ReadMeta(meta);
        }
        else if (head.Length >= 4 && head[..4].SequenceEqual("DICM"u8))
        {
            Warn(0, null, "file starts with DICM but has no 128-byte preamble");
            _input.Skip(4);
            syntax = ReadMeta(meta);
        }
        else if (head.Length >= 6 && head[0] == 0x02 && head[1] == 0x00 && DicomVRInfo.TryParse(head.Slice(4, 2), out _))
        {
            Warn(0, null, "no preamble: file meta information starts at offset 0");
            syntax = ReadMeta(meta);
        }
        else
        {
            syntax = GuessRawSyntax(head);
            Warn(0, null, $"no file meta information; reading as {syntax.Name}");
        }

        var dataset = new DicomDataset();
        _lazy = _filePath is not null && !syntax.IsDeflated;
        if (syntax.IsDeflated)
        {
            // Inflate as we parse (no whole-dataset buffer), capped so a small deflate bomb cannot
            // demand unbounded memory; offsets in messages then refer to the inflated dataset.
            var inflated = new DeflateStream(_input.RemainingAsStream(), CompressionMode.Decompress);
            _input = new DicomInput(new LimitedReadStream(inflated, _options.MaxInflatedBytes));
        }
        try
        {
            ReadDataset(dataset, syntax.IsExplicitVR, syntax.IsBigEndian, -1, 0, topLevel: true);
        }
        catch (InvalidDataException ex) when (syntax.IsDeflated)
        {
            throw new DicomFormatException("deflated dataset is not valid raw deflate data: " + ex.Message, _input.Position);
        }
        catch (LimitedReadStream.LimitExceededException ex)
        {
            throw new DicomFormatException(ex.Message, _input.Position);
        }

        return new DicomFile(meta, dataset, syntax, _warnings, hasPreamble);
    }

    private DicomTransferSyntax ReadMeta(DicomDataset meta)
    {
        // Group 0002 is always explicit VR little endian; read element by element while the group is 0002.
        while (true)
        {
            var peek = _input.PeekAvailable(2);
            if (peek.Length < 2 || BinaryPrimitives.ReadUInt16LittleEndian(peek) != 0x0002) break;
            var item = ReadElement(meta, explicitVR: true, bigEndian: false, depth: 0);
            if (item is not null) meta.AddOrUpdate(item);
        }
        var uid = meta.GetString(DicomTags.TransferSyntaxUID);
        if (uid is null)
        {
            Warn(_input.Position, DicomTags.TransferSyntaxUID, "file meta has no Transfer Syntax UID; guessing from the data");
            return GuessRawSyntax(_input.PeekAvailable(8));
        }
        if (!DicomTransferSyntax.TryParse(uid, out var syntax))
            throw new DicomFormatException($"unknown transfer syntax '{uid}'", _input.Position, DicomTags.TransferSyntaxUID);
        return syntax;
    }

    private static DicomTransferSyntax GuessRawSyntax(ReadOnlySpan<byte> head)
    {
        if (head.Length < 8) return DicomTransferSyntax.ImplicitVRLittleEndian;
        var groupLe = BinaryPrimitives.ReadUInt16LittleEndian(head);
        var groupBe = BinaryPrimitives.ReadUInt16BigEndian(head);
        var vrValid = DicomVRInfo.TryParse(head.Slice(4, 2), out _);
        if (groupLe > 0x00FF && groupBe <= 0x00FF && vrValid) return DicomTransferSyntax.ExplicitVRBigEndian;
        return vrValid ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    private void Warn(long offset, DicomTag? tag, string message) => _warnings.Add(new DicomReadWarning(offset, tag, message));

    /// <summary>Reads elements into <paramref name="dataset"/> until <paramref name="end"/> (absolute) or an item delimiter (end = -1).</summary>
    private void ReadDataset(DicomDataset dataset, bool explicitVR, bool bigEndian, long end, int depth, bool topLevel = false)
    {
        while (true)
        {
            if (end >= 0 && _input.Position >= end)
            {
                if (_input.Position > end)
                    throw new DicomFormatException($"item overruns its declared length by {_input.Position - end} bytes", _input.Position);
                return;
            }
            if (_input.AtEnd)
            {
                if (topLevel) return;
                if (end >= 0)
                    throw new DicomFormatException($"input ends {end - _input.Position} bytes before the end of an item", _input.Position);
                Warn(_input.Position, null, "input ends inside an undefined-length item (missing delimiter)");
                throw new EndOfItemException();
            }
            if (topLevel && _options.StopAtTag is { } stop)
            {
                var p = _input.PeekAvailable(4);
                if (p.Length == 4)
                {
                    var g = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(p) : BinaryPrimitives.ReadUInt16LittleEndian(p);
                    var el = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(p[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(p[2..]);
                    if (new DicomTag(g, el) >= stop) return;
                }
            }
            if (topLevel && _input.Remaining is > 0 and < 8)
            {
                var trailing = _input.PeekAvailable(8);
                if (trailing.IndexOfAnyExcept((byte)0) < 0)
                {
                    Warn(_input.Position, null, $"ignored {trailing.Length} trailing zero bytes");
                    _input.Skip(trailing.Length);
                    return;
                }
                throw new DicomFormatException($"{trailing.Length} trailing bytes are too short for an element header", _input.Position);
            }
            var item = ReadElement(dataset, explicitVR, bigEndian, depth);
            if (item is null) return; // item delimiter
            if (dataset.Contains(item.Tag))
                Warn(_input.Position, item.Tag, "duplicate element; the later value is kept");
            else if (dataset.Count > 0 && dataset.Items[^1].Tag > item.Tag)
                Warn(_input.Position, item.Tag, "element out of ascending tag order");
            dataset.AddOrUpdate(item);
        }
    }

    private sealed class EndOfItemException : Exception;

    /// <summary>Reads one element; null when an item delimiter was consumed.</summary>
    private DicomItem? ReadElement(DicomDataset owner, bool explicitVR, bool bigEndian, int depth)
    {
        var start = _input.Position;
        if (!_input.Fill(8))
            throw new DicomFormatException("input ends inside an element header", start);
        var group = _input.ReadUInt16(bigEndian);
        var element = _input.ReadUInt16(bigEndian);
        var tag = new DicomTag(group, element);

        if (tag == DicomTag.ItemDelimitationItem)
        {
            var l = _input.ReadUInt32(bigEndian);
            if (l != 0) Warn(start, tag, $"item delimiter with non-zero length {l}");
            return null;
        }
        if (tag == DicomTag.Item || tag == DicomTag.SequenceDelimitationItem)
            throw new DicomFormatException($"unexpected {(tag == DicomTag.Item ? "item" : "sequence delimiter")} tag outside a sequence", start, tag);

        DicomVR vr;
        uint length;
        var explicitHere = explicitVR;
        if (explicitVR)
        {
            var vrBytes = _input.Peek(2);
            if (DicomVRInfo.TryParse(vrBytes, out vr))
            {
                _input.Skip(2);
                if (vr.HasLongLength())
                {
                    _input.Skip(2);
                    length = ReadHeaderLength(start, tag, bigEndian);
                }
                else length = _input.ReadUInt16(bigEndian);
            }
            else if (vrBytes[0] is >= (byte)'A' and <= (byte)'Z' && vrBytes[1] is >= (byte)'A' and <= (byte)'Z')
            {
                // Unknown but well-formed VR (a future VR): PS3.5 says treat as UN with a 32-bit length.
                Warn(start, tag, $"unknown VR '{Encoding.ASCII.GetString(vrBytes)}' read as UN");
                _input.Skip(4);
                vr = DicomVR.UN;
                length = ReadHeaderLength(start, tag, bigEndian);
            }
            else
            {
                // A common defect: implicit VR data inside a file that declares explicit VR.
                Warn(start, tag, "invalid VR bytes; element read as implicit VR");
                explicitHere = false;
                vr = ImplicitVR(owner, tag);
                length = _input.ReadUInt32(bigEndian);
            }
        }
        else
        {
            vr = ImplicitVR(owner, tag);
            length = _input.ReadUInt32(bigEndian);
        }

        try
        {
            return ReadValue(owner, tag, vr, length, explicitHere, bigEndian, depth, start);
        }
        catch (EndOfStreamException)
        {
            throw new DicomFormatException($"input ends inside the value (declared length {length})", start, tag);
        }
    }

    /// <summary>The 32-bit length that ends a 12-byte explicit VR header (only 8 header bytes are known to be there).</summary>
    private uint ReadHeaderLength(long start, DicomTag tag, bool bigEndian) =>
        _input.Fill(4) ? _input.ReadUInt32(bigEndian) : throw new DicomFormatException("input ends inside an element header", start, tag);

    private static DicomVR ImplicitVR(DicomDataset owner, DicomTag tag)
    {
        if (tag.IsGroupLength) return DicomVR.UL;
        if (tag.IsPrivate)
        {
            if (tag.IsPrivateCreator) return DicomVR.LO;
            var creator = owner.GetPrivateCreator(tag);
            if (creator is not null && DicomDictionary.TryGetPrivate(creator, tag, out var pe)) return pe.VR;
            return DicomVR.UN;
        }
        return DicomDictionary.GetVR(tag);
    }

    private DicomItem ReadValue(DicomDataset owner, DicomTag tag, DicomVR vr, uint length, bool explicitVR, bool bigEndian, int depth, long start)
    {
        if (length != UndefinedLength && _input.Remaining >= 0 && length > _input.Remaining)
            throw new DicomFormatException($"declared length {length} exceeds the {_input.Remaining} bytes remaining", start, tag);

        if (vr == DicomVR.SQ || (length == UndefinedLength && vr == DicomVR.UN && tag != DicomTags.PixelData))
        {
            // CP-246: UN with undefined length is an implicit VR little endian sequence.
            var asImplicit = vr == DicomVR.UN ? true : !explicitVR;
            var asBigEndian = vr != DicomVR.UN && bigEndian;
            return ReadSequence(owner, tag, length, !asImplicit, asBigEndian, depth, start);
        }

        if (length == UndefinedLength)
        {
            if (vr is DicomVR.OB or DicomVR.OW or DicomVR.UN || tag == DicomTags.PixelData)
                return ReadFragments(tag, vr == DicomVR.UN ? DicomVR.OB : vr, bigEndian, start);
            // Implicit VR with an unknown tag and undefined length: a sequence.
            if (!explicitVR) return ReadSequence(owner, tag, length, explicitVR, bigEndian, depth, start);
            throw new DicomFormatException($"undefined length is not allowed for VR {vr}", start, tag);
        }

        if ((length & 1) != 0)
            Warn(start, tag, $"odd value length {length}");

        // Re-type a public element that arrived as UN (and its implicit VR LE bytes) from the dictionary.
        if (vr == DicomVR.UN && _options.RetypeUnknownVR && !tag.IsPrivate && !tag.IsGroupLength)
        {
            var known = DicomDictionary.GetVR(tag);
            if (known == DicomVR.SQ && length > 0)
            {
                var bytes = _input.ReadBytes(length);
                var saved = _input;
                _input = new DicomInput(new MemoryStream(bytes));
                try
                {
                    var seq = ReadSequence(owner, tag, length, explicitVR: false, bigEndian: false, depth, start);
                    return seq;
                }
                catch (DicomFormatException ex)
                {
                    Warn(start, tag, "UN value could not be re-typed as a sequence (" + ex.Reason + "); kept as UN");
                    return new DicomElement(tag, DicomVR.UN, bytes);
                }
                finally { _input = saved; }
            }
            if (known is not DicomVR.UN and not DicomVR.None and not DicomVR.SQ)
                vr = known;
        }
        else if (vr == DicomVR.UN && tag.IsPrivate && !tag.IsPrivateCreator && _options.RetypeUnknownVR)
        {
            var creator = owner.GetPrivateCreator(tag);
            if (creator is not null && DicomDictionary.TryGetPrivate(creator, tag, out var pe) && pe.VR != DicomVR.SQ) vr = pe.VR;
        }

        var valueOffset = _input.Position;
        ByteSource value;
        var swap = bigEndian && vr.SwapUnit() > 1;
        if (_lazy && !swap && length >= _options.LazyValueThreshold && _input.CanSeek)
        {
            value = new FileByteSource(_filePath!, valueOffset, length);
            _input.Skip(length);
        }
        else
        {
            var bytes = _input.ReadBytes(length);
            if (swap) SwapBytes(bytes, vr.SwapUnit());
            value = ByteSource.FromBytes(bytes);
        }
        return new DicomElement(tag, vr, value);
    }

    internal static void SwapBytes(Span<byte> bytes, int unit)
    {
        var n = bytes.Length - bytes.Length % unit;
        for (var i = 0; i < n; i += unit) bytes.Slice(i, unit).Reverse();
    }

    private DicomSequence ReadSequence(DicomDataset owner, DicomTag tag, uint length, bool explicitVR, bool bigEndian, int depth, long start)
    {
        var maxDepth = Math.Min(_options.MaxSequenceDepth, DicomReadOptions.MaxSupportedSequenceDepth);
        if (depth >= maxDepth)
            throw new DicomFormatException($"sequences nested deeper than {maxDepth} levels", start, tag);
        var sequence = new DicomSequence(tag) { Owner = owner };
        var end = length == UndefinedLength ? -1 : _input.Position + length;
        while (true)
        {
            if (end >= 0 && _input.Position >= end)
            {
                if (_input.Position > end) throw new DicomFormatException("sequence items overrun the sequence length", _input.Position, tag);
                break;
            }
            var itemStart = _input.Position;
            if (!_input.Fill(8))
            {
                if (end < 0 && _input.AtEnd) { Warn(itemStart, tag, "input ends inside an undefined-length sequence (missing delimiter)"); break; }
                throw new DicomFormatException("input ends inside a sequence", itemStart, tag);
            }
            var g = _input.ReadUInt16(bigEndian);
            var e = _input.ReadUInt16(bigEndian);
            var itemTag = new DicomTag(g, e);
            var itemLength = _input.ReadUInt32(bigEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (end >= 0) Warn(itemStart, tag, "sequence delimiter in a defined-length sequence");
                break;
            }
            if (itemTag != DicomTag.Item)
                throw new DicomFormatException($"expected an item tag (FFFE,E000) in the sequence but found {itemTag}", itemStart, tag);
            if (itemLength != UndefinedLength && _input.Remaining >= 0 && itemLength > _input.Remaining)
                throw new DicomFormatException($"item length {itemLength} exceeds the {_input.Remaining} bytes remaining", itemStart, tag);
            var item = new DicomDataset();
            try
            {
                ReadDataset(item, explicitVR, bigEndian, itemLength == UndefinedLength ? -1 : _input.Position + itemLength, depth + 1);
            }
            catch (EndOfItemException)
            {
                sequence.Items.Add(item);
                break;
            }
            sequence.Items.Add(item);
        }
        return sequence;
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, bool bigEndian, long start)
    {
        var fragments = new DicomFragmentSequence(tag, vr);
        var first = true;
        while (true)
        {
            var itemStart = _input.Position;
            if (!_input.Fill(8))
            {
                Warn(itemStart, tag, "input ends inside encapsulated pixel data (missing sequence delimiter)");
                break;
            }
            var g = _input.ReadUInt16(bigEndian);
            var e = _input.ReadUInt16(bigEndian);
            var itemTag = new DicomTag(g, e);
            var length = _input.ReadUInt32(bigEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem) break;
            if (itemTag != DicomTag.Item)
                throw new DicomFormatException($"expected a fragment item in encapsulated pixel data but found {itemTag}", itemStart, tag);
            if (length == UndefinedLength)
                throw new DicomFormatException("fragment with undefined length", itemStart, tag);
            if (_input.Remaining >= 0 && length > _input.Remaining)
                throw new DicomFormatException($"fragment length {length} exceeds the {_input.Remaining} bytes remaining", itemStart, tag);
            if ((length & 1) != 0) Warn(itemStart, tag, $"odd fragment length {length}");
            if (first)
            {
                first = false;
                if (length % 4 != 0) throw new DicomFormatException($"Basic Offset Table length {length} is not a multiple of 4", itemStart, tag);
                var table = _input.ReadBytes(length);
                for (var i = 0; i < table.Length; i += 4)
                    fragments.OffsetTable.Add(BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(i)));
                continue;
            }
            if (_lazy && length >= _options.LazyValueThreshold && _input.CanSeek)
            {
                fragments.Fragments.Add(new FileByteSource(_filePath!, _input.Position, length));
                _input.Skip(length);
            }
            else fragments.Fragments.Add(ByteSource.FromBytes(_input.ReadBytes(length)));
        }
        return fragments;
    }
}
