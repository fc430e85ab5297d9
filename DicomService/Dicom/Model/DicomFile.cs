using System.IO.Compression;
using System.Text;

namespace FedNano.Dicom;

/// <summary>A DICOM Part 10 file: file meta information, the dataset and how it was encoded.</summary>
public sealed class DicomFile
{
    /// <summary>Creates a file from its parts.</summary>
    public DicomFile(DicomDataset fileMetaInfo, DicomDataset dataset, DicomTransferSyntax transferSyntax,
        IReadOnlyList<DicomReadWarning>? warnings = null, bool hadPreamble = true)
    {
        FileMetaInfo = fileMetaInfo;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        Warnings = warnings ?? [];
        HadPreamble = hadPreamble;
    }

    /// <summary>Creates a new file for a dataset, stored in <paramref name="transferSyntax"/> (default Explicit VR Little Endian).</summary>
    public DicomFile(DicomDataset dataset, DicomTransferSyntax? transferSyntax = null)
        : this(new DicomDataset(), dataset, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian) { }

    /// <summary>Group 0002 as read (or to be written).</summary>
    public DicomDataset FileMetaInfo { get; }

    /// <summary>The dataset.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the dataset is encoded in (pixel data state matches it).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Defects tolerated while reading.</summary>
    public IReadOnlyList<DicomReadWarning> Warnings { get; }

    /// <summary>Whether the input had the 128-byte preamble and DICM prefix.</summary>
    public bool HadPreamble { get; }

    /// <summary>Reads a file; large values stay in the file until they are used.</summary>
    public static DicomFile Open(string path, DicomReadOptions? options = null) => DicomReader.ReadFile(path, options);

    /// <summary>Reads a file from a stream (values are loaded into memory).</summary>
    public static DicomFile Read(Stream stream, DicomReadOptions? options = null) => DicomReader.ReadStream(stream, options);

    /// <summary>Reads a file from bytes.</summary>
    public static DicomFile Read(byte[] bytes, DicomReadOptions? options = null) => Read(new MemoryStream(bytes, writable: false), options);

    /// <summary>
    /// Writes the file in <paramref name="transferSyntax"/> (default: the current syntax if this codec can
    /// write it, else Explicit VR Little Endian), transcoding pixel data when needed.
    /// </summary>
    public void Save(Stream output, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null)
    {
        var target = transferSyntax ?? (TransferSyntax.CanWrite ? TransferSyntax : DicomTransferSyntax.ExplicitVRLittleEndian);
        if (!target.CanWrite && target != TransferSyntax)
            throw new DicomDataException($"Cannot write transfer syntax {target}; writable syntaxes are: {string.Join(", ", DicomTransferSyntax.Writable.Select(t => t.Uid))}.");
        var dataset = DicomTranscoder.Transcode(Dataset, TransferSyntax, target);
        var meta = BuildMeta(dataset, target);

        var buffered = output as BufferedStream ?? new BufferedStream(output, 1 << 16);
        buffered.Write(new byte[128]);
        buffered.Write("DICM"u8);
        DicomWriter.WriteFileMeta(buffered, meta);
        if (target.IsDeflated)
        {
            // Raw RFC 1951 deflate of everything after group 0002 (no zlib header).
            using var deflate = new DeflateStream(buffered, (options ?? DicomWriteOptions.Default).DeflateLevel, leaveOpen: true);
            using var inner = new BufferedStream(deflate, 1 << 16);
            new DicomWriter(inner, true, options).WriteDataset(dataset);
        }
        else
        {
            new DicomWriter(buffered, target.IsExplicitVR, options).WriteDataset(dataset);
        }
        buffered.Flush();
    }

    /// <summary>Writes the file to <paramref name="path"/> (via a temporary file, so a failed write leaves no partial file).</summary>
    public void Save(string path, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null)
    {
        var full = Path.GetFullPath(path);
        var temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                Save(fs, transferSyntax, options);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The file as bytes.</summary>
    public byte[] ToBytes(DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null)
    {
        using var ms = new MemoryStream();
        Save(ms, transferSyntax, options);
        return ms.ToArray();
    }

    private DicomDataset BuildMeta(DicomDataset dataset, DicomTransferSyntax target)
    {
        var meta = new DicomDataset();
        foreach (var item in FileMetaInfo)
            if (item.Tag.Group == 0x0002 && item.Tag.Element != 0) meta.AddOrUpdate(item.Clone());
        meta.AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        var sopClass = dataset.GetString(DicomTags.SOPClassUID) ?? meta.GetString(DicomTags.MediaStorageSOPClassUID);
        var sopInstance = dataset.GetString(DicomTags.SOPInstanceUID) ?? meta.GetString(DicomTags.MediaStorageSOPInstanceUID);
        if (sopClass is not null) meta.AddOrUpdate(new DicomElement(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, Encoding.ASCII.GetBytes(sopClass)));
        if (sopInstance is not null) meta.AddOrUpdate(new DicomElement(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, Encoding.ASCII.GetBytes(sopInstance)));
        meta.AddOrUpdate(new DicomElement(DicomTags.TransferSyntaxUID, DicomVR.UI, Encoding.ASCII.GetBytes(target.Uid)));
        meta.AddOrUpdate(new DicomElement(DicomTags.ImplementationClassUID, DicomVR.UI, Encoding.ASCII.GetBytes(DicomImplementation.ClassUid)));
        meta.AddOrUpdate(new DicomElement(DicomTags.ImplementationVersionName, DicomVR.SH, Encoding.ASCII.GetBytes(DicomImplementation.VersionName)));
        return meta;
    }
}
