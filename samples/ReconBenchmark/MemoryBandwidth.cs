using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>Sustained memory bandwidth of the four STREAM kernels (GB/s = 10⁹ bytes per second, STREAM's byte counting).</summary>
/// <param name="CopyGBps">c = a: 16 bytes per element.</param>
/// <param name="ScaleGBps">b = s·c: 16 bytes per element.</param>
/// <param name="AddGBps">c = a + b: 24 bytes per element.</param>
/// <param name="TriadGBps">a = b + s·c: 24 bytes per element.</param>
/// <param name="ArrayBytes">Bytes per array (three arrays).</param>
/// <param name="Threads">Threads that ran each kernel (one contiguous chunk each).</param>
/// <param name="Reps">Repetitions per kernel; each figure is the best.</param>
internal sealed record StreamResult(double CopyGBps, double ScaleGBps, double AddGBps, double TriadGBps, long ArrayBytes, int Threads, int Reps)
{
    /// <summary>The bandwidth the bound uses: the better of copy and triad (the higher, the stricter the bound).</summary>
    public double BestGBps => Math.Max(CopyGBps, TriadGBps);
}

/// <summary>
/// A STREAM-like measurement (McCalpin's copy, scale, add, triad) on double arrays much larger than the last-level
/// cache, every core working on its own contiguous chunk, best of several repetitions. As in STREAM, bytes are
/// counted as the arrays read plus the arrays written; the extra read a cache must do before it can write a line
/// (write allocate) is not counted, so these figures are what a streaming kernel can use, not the bus's peak.
/// </summary>
internal static class MemoryBandwidth
{
    private const double Scalar = 3.0;

    /// <summary>Runs the four kernels <paramref name="reps"/> times over three arrays of <paramref name="arrayBytes"/> each.</summary>
    /// <exception cref="ArgumentException">The arrays are smaller than 1 MiB or <paramref name="reps"/> is not positive.</exception>
    public static StreamResult Measure(long arrayBytes, int reps)
    {
        if (arrayBytes < (1 << 20) || reps < 1)
        {
            throw new ArgumentException($"STREAM needs arrays of at least 1 MiB and at least one repetition (got {arrayBytes} bytes, {reps}).");
        }
        int threads = Environment.ProcessorCount;
        int lanes = Vector<double>.Count;
        long elements = arrayBytes / sizeof(double) / (lanes * threads) * (lanes * threads);
        if (elements > Array.MaxLength)
        {
            throw new ArgumentException($"A STREAM array of {arrayBytes} bytes exceeds the largest .NET array.", nameof(arrayBytes));
        }
        int n = (int)elements;
        double[] a = GC.AllocateUninitializedArray<double>(n);
        double[] b = GC.AllocateUninitializedArray<double>(n);
        double[] c = GC.AllocateUninitializedArray<double>(n);
        int chunk = n / threads;

        // First touch by the thread that will stream the chunk (what STREAM does for NUMA placement).
        Run(threads, chunk, (lo, len) =>
        {
            a.AsSpan(lo, len).Fill(1.0);
            b.AsSpan(lo, len).Fill(2.0);
            c.AsSpan(lo, len).Fill(0.0);
        });

        double copy = double.MaxValue, scale = double.MaxValue, add = double.MaxValue, triad = double.MaxValue;
        for (int rep = 0; rep < reps; rep++)
        {
            copy = Math.Min(copy, Time(() => Run(threads, chunk, (lo, len) => Copy(a, c, lo, len))));
            scale = Math.Min(scale, Time(() => Run(threads, chunk, (lo, len) => Scale(c, b, lo, len))));
            add = Math.Min(add, Time(() => Run(threads, chunk, (lo, len) => Add(a, b, c, lo, len))));
            triad = Math.Min(triad, Time(() => Run(threads, chunk, (lo, len) => Triad(b, c, a, lo, len))));
        }
        // STREAM's check, reduced to one element: after reps of the four kernels every a[i] has the same known value.
        double expectA = 1.0;
        for (int rep = 0; rep < reps; rep++)
        {
            double expectC = expectA, expectB = Scalar * expectC;
            expectC = expectA + expectB;
            expectA = expectB + Scalar * expectC;
        }
        if (Math.Abs(a[n / 2] - expectA) > 1e-8 * Math.Abs(expectA))
        {
            throw new InvalidOperationException($"STREAM kernels computed {a[n / 2]} where {expectA} was expected.");
        }
        double bytes = (double)n * sizeof(double);
        return new StreamResult(2 * bytes / copy / 1e9, 2 * bytes / scale / 1e9, 3 * bytes / add / 1e9, 3 * bytes / triad / 1e9,
            (long)bytes, threads, reps);
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void Run(int threads, int chunk, Action<int, int> body) =>
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => body(t * chunk, chunk));

    private static void Copy(double[] source, double[] target, int lo, int len)
    {
        var s = MemoryMarshal.Cast<double, Vector<double>>(source.AsSpan(lo, len));
        var t = MemoryMarshal.Cast<double, Vector<double>>(target.AsSpan(lo, len));
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = s[i];
        }
    }

    private static void Scale(double[] source, double[] target, int lo, int len)
    {
        var s = MemoryMarshal.Cast<double, Vector<double>>(source.AsSpan(lo, len));
        var t = MemoryMarshal.Cast<double, Vector<double>>(target.AsSpan(lo, len));
        var k = new Vector<double>(Scalar);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = k * s[i];
        }
    }

    private static void Add(double[] left, double[] right, double[] target, int lo, int len)
    {
        var l = MemoryMarshal.Cast<double, Vector<double>>(left.AsSpan(lo, len));
        var r = MemoryMarshal.Cast<double, Vector<double>>(right.AsSpan(lo, len));
        var t = MemoryMarshal.Cast<double, Vector<double>>(target.AsSpan(lo, len));
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = l[i] + r[i];
        }
    }

    private static void Triad(double[] left, double[] right, double[] target, int lo, int len)
    {
        var l = MemoryMarshal.Cast<double, Vector<double>>(left.AsSpan(lo, len));
        var r = MemoryMarshal.Cast<double, Vector<double>>(right.AsSpan(lo, len));
        var t = MemoryMarshal.Cast<double, Vector<double>>(target.AsSpan(lo, len));
        var k = new Vector<double>(Scalar);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = l[i] + k * r[i];
        }
    }
}
