using FedNano.DicomService.Core.Storage;

namespace FedNano.DicomService.Core.Features.Retrieve;

/// <summary>How the frames of an instance are served.</summary>
internal enum FrameIndexMode : byte
{
    /// <summary>No frames (no Pixel Data, or frames that cannot be located).</summary>
    None = 0,
    /// <summary>Each frame is a list of byte ranges of the stored file.</summary>
    Ranges = 1,
    /// <summary>The stored file must be parsed (deflated or big-endian data, unaligned 1-bit frames): rare syntaxes only.</summary>
    Parse = 2,
}

/// <summary>Frame locations computed at ingest: for native data the frame's bytes in the file, for encapsulated data its fragments' bytes.</summary>
internal sealed class FrameIndex
{
    private const byte Version = 1;

    public FrameIndexMode Mode { get; init; }

    /// <summary>The transfer syntax of the frame bytes served.</summary>
    public string TransferSyntaxUid { get; init; } = "";

    public int FrameCount { get; init; }

    /// <summary>For <see cref="FrameIndexMode.Ranges"/>: the ranges of each frame.</summary>
    public IReadOnlyList<ByteRange[]> Frames { get; init; } = [];

    public static FrameIndex Empty { get; } = new() { Mode = FrameIndexMode.None };

    public byte[] Serialize()
    {
        using var ms = new MemoryStream(16 + Frames.Count * 20);
        using (var w = new BinaryWriter(ms))
        {
            w.Write(Version);
            w.Write((byte)Mode);
            w.Write(TransferSyntaxUid);
            w.Write(FrameCount);
            w.Write(Frames.Count);
            foreach (var frame in Frames)
            {
                w.Write(frame.Length);
                foreach (var r in frame)
                {
                    w.Write(r.Offset);
                    w.Write(r.Length);
                }
            }
        }
        return ms.ToArray();
    }

    public static FrameIndex Deserialize(byte[] data)
    {
        if (data.Length == 0) return Empty;
        using var r = new BinaryReader(new MemoryStream(data, writable: false));
        if (r.ReadByte() != Version) throw new InvalidDataException("Unknown frame index version.");
        var mode = (FrameIndexMode)r.ReadByte();
        var syntax = r.ReadString();
        var frameCount = r.ReadInt32();
        var n = r.ReadInt32();
        var frames = new ByteRange[n][];
        for (var i = 0; i < n; i++)
        {
            var ranges = new ByteRange[r.ReadInt32()];
            for (var k = 0; k < ranges.Length; k++) ranges[k] = new ByteRange(r.ReadInt64(), r.ReadInt64());
            frames[i] = ranges;
        }
        return new FrameIndex { Mode = mode, TransferSyntaxUid = syntax, FrameCount = frameCount, Frames = frames };
    }
}

/// <summary>One value the metadata gives as a BulkDataURI, and where its bytes are in the stored file.</summary>
/// <param name="Path">The URI path after <c>bulkdata/</c>: tags and item numbers, e.g. <c>7FE00010</c> or <c>00540016/0/00181072</c>.</param>
/// <param name="IsEncapsulated">Encapsulated pixel data (the ranges are its fragments).</param>
/// <param name="Ranges">The bytes in the file; null when the file must be parsed to get them.</param>
internal sealed record BulkDataEntry(string Path, bool IsEncapsulated, ByteRange[]? Ranges);

/// <summary>Bulk data locations computed at ingest.</summary>
internal static class BulkDataIndex
{
    private const byte Version = 1;

    public static byte[] Serialize(IReadOnlyCollection<BulkDataEntry> entries)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(Version);
            w.Write(entries.Count);
            foreach (var e in entries)
            {
                w.Write(e.Path);
                w.Write(e.IsEncapsulated);
                w.Write(e.Ranges is null ? -1 : e.Ranges.Length);
                if (e.Ranges is null) continue;
                foreach (var r in e.Ranges)
                {
                    w.Write(r.Offset);
                    w.Write(r.Length);
                }
            }
        }
        return ms.ToArray();
    }

    public static IReadOnlyDictionary<string, BulkDataEntry> Deserialize(byte[] data)
    {
        var result = new Dictionary<string, BulkDataEntry>(StringComparer.OrdinalIgnoreCase);
        if (data.Length == 0) return result;
        using var r = new BinaryReader(new MemoryStream(data, writable: false));
        if (r.ReadByte() != Version) throw new InvalidDataException("Unknown bulk data index version.");
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var path = r.ReadString();
            var encapsulated = r.ReadBoolean();
            var n = r.ReadInt32();
            ByteRange[]? ranges = null;
            if (n >= 0)
            {
                ranges = new ByteRange[n];
                for (var k = 0; k < n; k++) ranges[k] = new ByteRange(r.ReadInt64(), r.ReadInt64());
            }
            result[path] = new BulkDataEntry(path, encapsulated, ranges);
        }
        return result;
    }
}
