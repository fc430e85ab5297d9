namespace FedNano.Dicom;

/// <summary>
/// A value that DICOM JSON gave only as a <c>"BulkDataURI"</c> and that was not fetched (no bulk data loader was
/// passed to <see cref="DicomJsonReader"/>). It remembers the URI so that <see cref="DicomJsonWriter"/> writes the
/// reference back unchanged; its bytes are unknown, so <see cref="Length"/> is 0 and every attempt to read the bytes
/// (including writing the dataset as Part 10) throws <see cref="InvalidOperationException"/> naming the URI,
/// rather than silently producing an empty value.
/// </summary>
public sealed class BulkDataUriByteSource : ByteSource
{
    /// <summary>Creates a reference to bulk data at <paramref name="uri"/>.</summary>
    /// <param name="uri">The BulkDataURI, as given in the JSON.</param>
    public BulkDataUriByteSource(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Uri = uri;
    }

    /// <summary>The BulkDataURI where the value can be retrieved.</summary>
    public string Uri { get; }

    /// <summary>Always 0: the length of the referenced value is not known.</summary>
    public override long Length => 0;

    /// <inheritdoc />
    public override bool IsInMemory => false;

    /// <summary>Always throws: the bytes were not loaded.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override ReadOnlyMemory<byte> GetMemory() => throw NotLoaded();

    /// <summary>Always throws: the bytes were not loaded.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override ReadOnlyMemory<byte> Read(long offset, int count) => throw NotLoaded();

    /// <summary>Always throws: the bytes were not loaded.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override Stream OpenRead() => throw NotLoaded();

    /// <summary>Always throws: the bytes were not loaded.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void CopyTo(Stream destination) => throw NotLoaded();

    /// <inheritdoc />
    public override string ToString() => $"BulkDataURI {Uri}";

    private InvalidOperationException NotLoaded() => new(
        $"The value is bulk data at '{Uri}' and was not loaded; pass a bulkDataLoader to DicomJsonReader to fetch it.");
}
