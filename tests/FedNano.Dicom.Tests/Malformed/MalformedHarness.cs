using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Malformed;

/// <summary>What reading a malformed input ended in.</summary>
internal enum MalformedOutcome
{
    /// <summary>Read without complaint (e.g. truncated exactly at an element boundary).</summary>
    Read,
    /// <summary>Read, with the defects reported as warnings.</summary>
    ReadWithWarnings,
    /// <summary>Rejected with <see cref="DicomFormatException"/>.</summary>
    FormatError,
}

/// <summary>
/// Reads hostile input and enforces the contract: the result is a file (possibly with warnings) or a
/// <see cref="DicomFormatException"/>; never another exception type, never a hang, never a large allocation.
/// </summary>
internal static class MalformedHarness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    public const long MaxAllocatedBytes = 64L * 1024 * 1024;

    public static MalformedOutcome Read(byte[] bytes, string caseName, DicomReadOptions? options = null) =>
        Run(() => DicomFile.Read(bytes, options), caseName, bytes.Length);

    /// <summary>Reads through a temporary file (the lazy, seeking path).</summary>
    public static MalformedOutcome Open(byte[] bytes, string caseName, string directory)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".dcm");
        File.WriteAllBytes(path, bytes);
        try { return Run(() => DicomFile.Open(path), caseName, bytes.Length); }
        finally { File.Delete(path); }
    }

    public static MalformedOutcome Both(byte[] bytes, string caseName, string directory)
    {
        var a = Read(bytes, caseName + " (bytes)");
        var b = Open(bytes, caseName + " (file)", directory);
        Assert.True(a == b, $"{caseName}: reading bytes gave {a} but opening the file gave {b}");
        return a;
    }

    private static MalformedOutcome Run(Func<DicomFile> read, string caseName, int inputLength)
    {
        Exception? failure = null;
        MalformedOutcome outcome = default;
        long allocated = 0;
        var task = Task.Factory.StartNew(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var file = read();
                outcome = file.Warnings.Count > 0 ? MalformedOutcome.ReadWithWarnings : MalformedOutcome.Read;
            }
            catch (DicomFormatException ex)
            {
                outcome = MalformedOutcome.FormatError;
                if (!ex.Message.Contains("offset", StringComparison.Ordinal))
                    failure = new InvalidOperationException("DicomFormatException without an offset in its message: " + ex.Message);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        if (!task.Wait(Timeout))
            Assert.Fail($"{caseName}: reading {inputLength} bytes did not finish within {Timeout.TotalSeconds} s (hang)");
        if (failure is not null)
            Assert.Fail($"{caseName}: reading ended in {failure.GetType().FullName} instead of DicomFormatException or warnings: {failure.Message}\n{failure.StackTrace}");
        Assert.True(allocated < MaxAllocatedBytes, $"{caseName}: reading {inputLength} bytes allocated {allocated} bytes");
        return outcome;
    }

    /// <summary>How many of each outcome.</summary>
    public static Dictionary<MalformedOutcome, int> Tally(IEnumerable<MalformedOutcome> outcomes)
    {
        var tally = Enum.GetValues<MalformedOutcome>().ToDictionary(o => o, _ => 0);
        foreach (var o in outcomes) tally[o]++;
        return tally;
    }
}
