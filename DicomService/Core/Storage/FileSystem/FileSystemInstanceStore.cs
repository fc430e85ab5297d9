using System.Globalization;
using FedNano.DicomService.Core.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Core.Storage.FileSystem;

/// <summary>
/// Instance files on the local file system: <c>{DataDirectory}/instances/{study}/{series}/{sop}.{watermark}.dcm</c>.
/// A file appears by rename from a fsynced temporary file (<c>….tmp</c>) in the same directory, so it is either complete
/// or absent, even after a power loss (with <see cref="StorageOptions.DurableCommits"/> the directory is fsynced too, so an
/// acknowledged rename also survives one); the watermark in the name keeps a re-stored copy apart from a deleted one whose file is still being removed.
/// </summary>
public sealed class FileSystemInstanceStore : IInstanceStore
{
    private const string FileExtension = ".dcm";
    private const string TempExtension = ".tmp";

    private readonly string _root;
    private readonly bool _flush;
    private readonly bool _flushDirectories;
    private readonly ILogger _logger;

    /// <summary>Creates the store under <see cref="StorageOptions.InstancesPath"/>.</summary>
    public FileSystemInstanceStore(IOptions<StorageOptions> options, ILogger<FileSystemInstanceStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = options.Value.InstancesPath;
        _flush = options.Value.FlushToDisk;
        _flushDirectories = options.Value.FlushToDisk && options.Value.DurableCommits;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    private string DirectoryOf(InstanceLocator l) => Path.Combine(_root, Safe(l.StudyInstanceUid), Safe(l.SeriesInstanceUid));

    private static string FileName(InstanceLocator l, string extension) =>
        Safe(l.SopInstanceUid) + "." + l.Watermark.ToString(CultureInfo.InvariantCulture) + extension;

    /// <summary>UIDs are validated before they get here; this only guards against path tricks.</summary>
    private static string Safe(string uid)
    {
        if (uid.Length == 0 || uid.Any(c => !(char.IsAsciiDigit(c) || c == '.')) || uid.StartsWith('.'))
            throw new ArgumentException($"'{uid}' is not a UID that can name a file.", nameof(uid));
        return uid;
    }

    /// <summary>The path of a stored file.</summary>
    public string PathOf(InstanceLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        return Path.Combine(DirectoryOf(locator), FileName(locator, FileExtension));
    }

    /// <inheritdoc />
    public Task PutAsync(InstanceLocator locator, string sourceFilePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locator);
        var directory = DirectoryOf(locator);
        var temp = Path.Combine(directory, FileName(locator, TempExtension));
        var final = Path.Combine(directory, FileName(locator, FileExtension));
        try
        {
            // A concurrent delete may remove an empty directory between CreateDirectory and the move: try again.
            for (var attempt = 0; ; attempt++)
            {
                var created = !Directory.Exists(directory);
                Directory.CreateDirectory(directory);
                try
                {
                    // A rename when staging is on the same volume (the usual case), a copy otherwise.
                    File.Move(sourceFilePath, temp, overwrite: true);
                    if (created && _flushDirectories)
                    {
                        DurableFile.FlushDirectory(Path.GetDirectoryName(directory)!);
                        DurableFile.FlushDirectory(Path.GetDirectoryName(Path.GetDirectoryName(directory))!);
                    }
                    break;
                }
                catch (DirectoryNotFoundException) when (attempt < 3 && File.Exists(sourceFilePath))
                {
                }
            }
            if (_flush) DurableFile.FlushFile(temp);
            File.Move(temp, final, overwrite: true);
            if (_flushDirectories) DurableFile.FlushDirectory(directory);
        }
        catch
        {
            TryDelete(temp);
            TryDelete(final);
            throw;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Stream OpenRead(InstanceLocator locator)
    {
        try
        {
            return new FileStream(PathOf(locator), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ResourceNotFoundException($"The stored file of instance {locator.SopInstanceUid} is missing.");
        }
    }

    /// <inheritdoc />
    public Stream OpenRanges(InstanceLocator locator, IReadOnlyList<ByteRange> ranges) => new RangesStream(PathOf(locator), ranges);

    /// <inheritdoc />
    public string? GetLocalPath(InstanceLocator locator) => PathOf(locator);

    /// <inheritdoc />
    public Task DeleteAsync(InstanceLocator locator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locator);
        var directory = DirectoryOf(locator);
        TryDelete(Path.Combine(directory, FileName(locator, FileExtension)));
        TryDelete(Path.Combine(directory, FileName(locator, TempExtension)));
        TryRemoveEmptyDirectories(directory);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<long>> RemoveOrphansAsync(Func<InstanceLocator, bool> isLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isLive);
        var kept = new HashSet<long>();
        if (!Directory.Exists(_root)) return Task.FromResult<IReadOnlySet<long>>(kept);
        var removed = 0;
        foreach (var studyDir in Directory.EnumerateDirectories(_root))
        {
            foreach (var seriesDir in Directory.EnumerateDirectories(studyDir))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var file in Directory.EnumerateFiles(seriesDir))
                {
                    var name = Path.GetFileName(file);
                    if (name.EndsWith(TempExtension, StringComparison.Ordinal))
                    {
                        TryDelete(file);
                        removed++;
                        continue;
                    }
                    if (!name.EndsWith(FileExtension, StringComparison.Ordinal)) continue;
                    var stem = name[..^FileExtension.Length];
                    var dot = stem.LastIndexOf('.');
                    if (dot <= 0 || !long.TryParse(stem[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var watermark))
                        continue;
                    var locator = new InstanceLocator(Path.GetFileName(studyDir), Path.GetFileName(seriesDir), stem[..dot], watermark);
                    if (isLive(locator)) kept.Add(watermark);
                    else
                    {
                        TryDelete(file);
                        removed++;
                    }
                }
                TryRemoveEmptyDirectories(seriesDir);
            }
        }
        if (removed > 0) _logger.LogWarning("Recovery removed {Count} orphan or temporary instance files.", removed);
        return Task.FromResult<IReadOnlySet<long>>(kept);
    }

    private void TryRemoveEmptyDirectories(string seriesDirectory)
    {
        foreach (var dir in new[] { seriesDirectory, Path.GetDirectoryName(seriesDirectory)! })
        {
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (IOException) { return; } // not empty any more (a concurrent store): fine
            catch (UnauthorizedAccessException) { return; }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Could not delete {Path}; recovery will remove it at the next start.", path);
        }
    }
}
