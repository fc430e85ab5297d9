using System.Runtime.InteropServices;

namespace FedNano.Dicom;

/// <summary>
/// Allocation of large value buffers (multi-megabyte Pixel Data) that are about to be filled completely by a read.
/// <para>
/// The array is not zeroed first (every byte is overwritten, and a failed read discards it), and on Linux its pages
/// are mapped in one <c>madvise(MADV_POPULATE_WRITE)</c> call instead of one page fault per 4 KiB page during the read.
/// The hint changes no bytes; it only moves the page-table work out of the copy loop. On virtual machines where a page
/// fault is expensive this matters: reading 210 MB into a fresh array took 0.83 s with per-page faults and 0.30 s with
/// the pages populated up front (2-vCPU Firecracker VM, Linux 6.18). Kernels before 5.14, other systems, or any
/// failure of the call simply fall back to ordinary faulting.
/// </para>
/// </summary>
internal static partial class LargeBuffer
{
    /// <summary>Buffers at least this long are populated up front; smaller ones are ordinary arrays.</summary>
    public const int PopulateThreshold = 4 << 20;

    private const int MadvPopulateWrite = 23; // Linux 5.14+

    private static bool _populateUnavailable = !OperatingSystem.IsLinux();

    /// <summary>A new array of <paramref name="length"/> bytes whose contents are unspecified; the caller must overwrite all of it.</summary>
    public static byte[] AllocateForOverwrite(int length)
    {
        if (length < PopulateThreshold) return new byte[length];
        var buffer = GC.AllocateUninitializedArray<byte>(length);
        Populate(buffer);
        return buffer;
    }

    private static unsafe void Populate(byte[] buffer)
    {
        if (Volatile.Read(ref _populateUnavailable)) return;
        try
        {
            fixed (byte* p = buffer)
            {
                // Only whole pages that lie inside the array.
                var page = (nint)Environment.SystemPageSize;
                var start = ((nint)p + page - 1) & ~(page - 1);
                var end = ((nint)p + buffer.Length) & ~(page - 1);
                if (end > start && Madvise(start, (nuint)(end - start), MadvPopulateWrite) != 0)
                    Volatile.Write(ref _populateUnavailable, true); // EINVAL on kernels without it: stop asking
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _populateUnavailable, true);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
