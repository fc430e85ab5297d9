using System.Runtime.InteropServices;

namespace FedNano.DicomService.Core.Infrastructure;

/// <summary>fsync of files and directories, so that a rename survives a crash of the machine, not only of the process.</summary>
internal static partial class DurableFile
{
    /// <summary>Flushes a file's data to the storage device.</summary>
    public static void FlushFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Flushes a directory (its entries: names created, renamed or removed) on Unix; nothing elsewhere.</summary>
    public static void FlushDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        const int ReadOnly = 0, Directory = 0x10000; // O_RDONLY, O_DIRECTORY (Linux)
        var fd = Open(path, OperatingSystem.IsLinux() ? ReadOnly | Directory : ReadOnly);
        if (fd < 0) return; // best effort: some file systems do not allow opening directories
        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
