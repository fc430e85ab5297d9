namespace FedNano.DicomService.Core.Storage;

/// <summary>
/// Where instance files (Part 10 bytes exactly as received) are kept. The embedded default is the file system
/// (<see cref="FileSystem.FileSystemInstanceStore"/>); an object store can replace it without touching the services.
/// </summary>
public interface IInstanceStore
{
    /// <summary>
    /// Takes over <paramref name="sourceFilePath"/> (a complete file, e.g. a STOW staging file) and stores it as
    /// <paramref name="locator"/>. The copy appears atomically and is durable when the task completes; on failure nothing
    /// is left under the locator.
    /// </summary>
    Task PutAsync(InstanceLocator locator, string sourceFilePath, CancellationToken cancellationToken);

    /// <summary>Opens the stored file for reading.</summary>
    /// <exception cref="ResourceNotFoundException">The file is missing.</exception>
    Stream OpenRead(InstanceLocator locator);

    /// <summary>A stream over the concatenation of <paramref name="ranges"/> of the stored file (opened on first read).</summary>
    Stream OpenRanges(InstanceLocator locator, IReadOnlyList<ByteRange> ranges);

    /// <summary>The local path of the stored file when the store keeps files on a local file system; otherwise null.</summary>
    string? GetLocalPath(InstanceLocator locator);

    /// <summary>Removes the stored file (and any temporary file of the same locator); missing files are not an error.</summary>
    Task DeleteAsync(InstanceLocator locator, CancellationToken cancellationToken);

    /// <summary>
    /// Crash recovery: removes temporary files and every stored file for which <paramref name="isLive"/> is false, and
    /// returns the watermarks of the files that were kept.
    /// </summary>
    Task<IReadOnlySet<long>> RemoveOrphansAsync(Func<InstanceLocator, bool> isLive, CancellationToken cancellationToken);
}
