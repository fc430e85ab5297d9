using System.Diagnostics;
using System.Globalization;
using FedNano.Dicom;

namespace FedNano.Samples.DicomBenchmark;

/// <summary>
/// The FedNano side of one measurement, run in its own process (like dcmtk and pydicom) so that its peak memory is
/// measured the same way: reads every file named in a list and writes it as Explicit VR Little Endian into a directory.
/// Prints <c>ELAPSED seconds</c> (the loop only: runtime start is excluded, JIT is included) and with
/// <c>--profile</c> a <c>PROFILE</c> line splitting that time into parse, value loading and writing.
/// </summary>
internal static class Worker
{
    public const string Flag = "--worker";

    /// <summary>args: eager|lazy LISTFILE OUTDIR [--atomic] [--profile].</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 3 || args[0] is not ("eager" or "lazy"))
        {
            Console.Error.WriteLine("usage: --worker eager|lazy LISTFILE OUTDIR [--atomic] [--profile]");
            return 2;
        }
        var eager = args[0] == "eager";
        var files = File.ReadAllLines(args[1]).Where(l => l.Length > 0).ToArray();
        var outDir = args[2];
        var profile = args.Contains("--profile");
        // Default: write straight into the new file, as dcmconv and pydicom do. --atomic: DicomFile.Save(path), which
        // writes a temporary file next to the target and renames it (no partial file is ever visible).
        var atomic = args.Contains("--atomic");

        // eager: every value, Pixel Data included, is read into memory while parsing (nothing left in the file).
        // lazy: the codec's default; values of 64 KiB or more stay in the input file and are copied straight to the output.
        var readOptions = eager ? new DicomReadOptions { LazyValueThreshold = long.MaxValue } : DicomReadOptions.Default;
        var target = DicomTransferSyntax.ExplicitVRLittleEndian;
        long parseTicks = 0, loadTicks = 0, writeTicks = 0, valueBytes = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var total = Stopwatch.StartNew();
        foreach (var path in files)
        {
            var t0 = Stopwatch.GetTimestamp();
            var file = DicomFile.Open(path, readOptions);
            var t1 = Stopwatch.GetTimestamp();
            if (eager) valueBytes += Touch(file.Dataset);
            var t2 = Stopwatch.GetTimestamp();
            var output = Path.Combine(outDir, Path.GetFileName(path));
            if (atomic) file.Save(output, target);
            else
            {
                // bufferSize 1: no FileStream buffer; Save puts its own 64 KiB buffer in front of the stream.
                using var stream = new FileStream(output, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
                file.Save(stream, target);
            }
            var t3 = Stopwatch.GetTimestamp();
            parseTicks += t1 - t0;
            loadTicks += t2 - t1;
            writeTicks += t3 - t2;
        }
        total.Stop();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ELAPSED {total.Elapsed.TotalSeconds:F6}"));
        if (profile)
        {
            static string S(long ticks) => (ticks / (double)Stopwatch.Frequency).ToString("F3", CultureInfo.InvariantCulture);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PROFILE open+parse {S(parseTicks)} s, touch values {S(loadTicks)} s ({valueBytes / 1e6:F1} MB), save {S(writeTicks)} s; " +
                $"allocated {allocated / 1e6:F0} MB, GCs gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
                $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
        }
        return 0;
    }

    /// <summary>Makes sure every value is in memory (they are, with the eager options) and returns the bytes held.</summary>
    private static long Touch(DicomDataset dataset)
    {
        long bytes = 0;
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomElement e:
                    bytes += e.Value.GetMemory().Length;
                    break;
                case DicomSequence s:
                    foreach (var child in s.Items) bytes += Touch(child);
                    break;
                case DicomFragmentSequence f:
                    foreach (var fragment in f.Fragments) bytes += fragment.GetMemory().Length;
                    break;
            }
        }
        return bytes;
    }
}
