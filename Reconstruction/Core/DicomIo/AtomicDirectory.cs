namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// Writes a directory all at once: files go into a hidden temporary sibling (same parent, so the same file
/// system), which is renamed to the target only when every file is written. On any failure or cancellation the
/// temporary directory is deleted, so the target either appears complete or not at all.
/// </summary>
internal static class AtomicDirectory
{
    /// <summary>Runs <paramref name="writeFiles"/> with the temporary directory, then moves it to <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">The target exists and is not empty, or it could not be moved into place.</exception>
    public static void Write(string directory, Action<string> writeFiles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"'{directory}' has no parent directory to write beside.", nameof(directory));
        RequireAbsentOrEmpty(target);
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, "." + Path.GetFileName(target) + ".partial-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(temp);
        try
        {
            writeFiles(temp);
            RequireAbsentOrEmpty(target);
            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }
            Directory.Move(temp, target);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void RequireAbsentOrEmpty(string target)
    {
        if (File.Exists(target))
        {
            throw new IOException($"'{target}' exists and is a file; a series is written to a new (or empty) directory.");
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"Directory '{target}' already exists and is not empty; a series is written to a new (or empty) directory.");
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
