using System.Globalization;
using System.Numerics;
using FedNano.Dicom;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// The linear map between line integrals P and the unsigned 16-bit stored values of DICOM-CT-PD pixel data:
/// P = stored · <see cref="RescaleSlope"/> + <see cref="RescaleIntercept"/>, one map per series.
/// </summary>
/// <remarks>
/// <see cref="For"/> chooses intercept = min(0, min P) and slope = (max(0, max P) − intercept) / 65535 (nudged up by
/// 1e-9 relative so that the DS-formatted slope never shrinks the range), so the largest value uses the whole
/// 16-bit range. Both numbers are exactly the values written to RescaleSlope/RescaleIntercept (DS, ≤ 16
/// characters), so a reader that applies them recovers every value to within
/// <see cref="MaxAbsoluteError"/> = slope / 2 (rounding to the nearest stored value), plus the float32 rounding of
/// the result (≤ 2⁻²⁴·|P|). For line integrals in [0, 10] that is ≈ 7.6·10⁻⁵.
/// </remarks>
/// <param name="RescaleSlope">Line integral per stored unit (positive).</param>
/// <param name="RescaleIntercept">Line integral of stored value 0.</param>
public sealed record LineIntegralScaling(double RescaleSlope, double RescaleIntercept)
{
    /// <summary>Largest stored value.</summary>
    public const int MaxStoredValue = ushort.MaxValue;

    // Covers the relative error of a 16-character DS (≥ 11 significant digits) so the formatted slope still spans the range.
    private const double SlopeHeadroom = 1e-9;

    /// <summary>Worst-case |restored − original| from quantisation: half a stored unit.</summary>
    public double MaxAbsoluteError => RescaleSlope / 2.0;

    /// <summary>RescaleSlope (0028,1053) as written (DS).</summary>
    public string SlopeText => DicomDecimalString.Format(RescaleSlope);

    /// <summary>RescaleIntercept (0028,1052) as written (DS).</summary>
    public string InterceptText => DicomDecimalString.Format(RescaleIntercept);

    /// <summary>The scaling for a whole series of line integrals (one pass over the values).</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static LineIntegralScaling For(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (min, max) = Range(values);
        double lo = Math.Min(0.0, min);
        double hi = Math.Max(0.0, max);
        double slope = hi > lo ? (hi - lo) / MaxStoredValue * (1.0 + SlopeHeadroom) : 1.0;
        // Use exactly what DS can carry, so writer and reader agree to the last bit.
        return new LineIntegralScaling(RoundTrip(slope), RoundTrip(lo));
    }

    /// <summary>The stored value nearest to <paramref name="lineIntegral"/>, clamped to 0..65535.</summary>
    public ushort Quantize(float lineIntegral)
    {
        double q = Math.Round((lineIntegral - RescaleIntercept) / RescaleSlope);
        return q <= 0 ? (ushort)0 : q >= MaxStoredValue ? (ushort)MaxStoredValue : (ushort)q;
    }

    /// <summary>
    /// Quantises <paramref name="lineIntegrals"/> into <paramref name="stored"/> at index
    /// <c>offset + i·stride</c> for value i (a stride other than 1 transposes while quantising).
    /// </summary>
    public void Quantize(ReadOnlySpan<float> lineIntegrals, Span<ushort> stored, int offset, int stride)
    {
        double inverse = 1.0 / RescaleSlope, intercept = RescaleIntercept;
        for (int i = 0, k = offset; i < lineIntegrals.Length; i++, k += stride)
        {
            // Same nearest value as Quantize up to exact ties, which cannot matter for the error bound.
            double q = Math.Floor((lineIntegrals[i] - intercept) * inverse + 0.5);
            stored[k] = q <= 0 ? (ushort)0 : q >= MaxStoredValue ? (ushort)MaxStoredValue : (ushort)q;
        }
    }

    /// <summary>The line integral a stored value stands for.</summary>
    public float Restore(double stored) => (float)(stored * RescaleSlope + RescaleIntercept);

    private static double RoundTrip(double value) =>
        double.Parse(DicomDecimalString.Format(value), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static (float Min, float Max) Range(float[] values)
    {
        float min = 0f, max = 0f;
        long firstBad = long.MaxValue;
        var gate = new object();
        const int chunk = 1 << 20;
        int chunks = (int)((values.LongLength + chunk - 1) / chunk);
        Parallel.For(0, chunks, c =>
        {
            int start = c * chunk;
            var span = values.AsSpan(start, (int)Math.Min(chunk, values.LongLength - start));
            var (lo, hi, bad) = RangeOf(span);
            lock (gate)
            {
                min = Math.Min(min, lo);
                max = Math.Max(max, hi);
                if (bad >= 0)
                {
                    firstBad = Math.Min(firstBad, start + bad);
                }
            }
        });
        if (firstBad != long.MaxValue)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Line integral at index {firstBad} is {values[firstBad]}; only finite values can be stored."),
                nameof(values));
        }
        return (min, max);
    }

    /// <summary>Minimum, maximum and the index of the first non-finite value (−1 if none) of one chunk, vectorised.</summary>
    private static (float Min, float Max, int FirstBad) RangeOf(ReadOnlySpan<float> span)
    {
        int width = Vector<float>.Count;
        var vmin = new Vector<float>(float.PositiveInfinity);
        var vmax = new Vector<float>(float.NegativeInfinity);
        var allFinite = Vector<int>.AllBitsSet;
        int i = 0;
        for (; i + width <= span.Length; i += width)
        {
            var v = new Vector<float>(span.Slice(i, width));
            vmin = Vector.Min(vmin, v);
            vmax = Vector.Max(vmax, v);
            // v − v is 0 for finite values and NaN for NaN and ±∞.
            allFinite &= Vector.Equals(v - v, Vector<float>.Zero);
        }
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        for (int k = 0; k < width; k++)
        {
            lo = Math.Min(lo, vmin[k]);
            hi = Math.Max(hi, vmax[k]);
        }
        int scanFrom = Vector.EqualsAll(allFinite, Vector<int>.AllBitsSet) ? i : 0;
        for (int k = scanFrom; k < span.Length; k++)
        {
            float v = span[k];
            if (!float.IsFinite(v))
            {
                return (lo, hi, k);
            }
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        return (lo, hi, -1);
    }
}
