namespace FedNano.Dicom;

/// <summary>Malformed DICOM input: names the byte offset and, when known, the element being read.</summary>
public sealed class DicomFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomFormatException(string message, long offset, DicomTag? tag = null, Exception? inner = null)
        : base(Format(message, offset, tag), inner)
    {
        Offset = offset;
        Tag = tag;
        Reason = message;
    }

    /// <summary>Byte offset in the input where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The element being read, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The reason without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string message, long offset, DicomTag? tag)
    {
        var where = $"at offset {offset} (0x{offset:X})";
        if (tag is { } t)
        {
            var keyword = DicomDictionary.GetKeyword(t);
            where += $" in element {t}{(keyword.Length > 0 ? " " + keyword : "")}";
        }
        return $"{where}: {message}";
    }
}

/// <summary>A value that cannot be read or written as asked (wrong VR, not a number, not encodable).</summary>
public sealed class DicomDataException(string message) : Exception(message);

/// <summary>A non-fatal defect found while reading (odd length, missing delimiter …).</summary>
/// <param name="Offset">Byte offset in the input.</param>
/// <param name="Tag">The element concerned, if any.</param>
/// <param name="Message">What was wrong and what the reader did about it.</param>
public sealed record DicomReadWarning(long Offset, DicomTag? Tag, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"offset {Offset}{(Tag is { } t ? " " + t : "")}: {Message}";
}
