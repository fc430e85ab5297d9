using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Pixel-driven fan-beam backprojection with linear interpolation between channels and the 1/L² (equiangular)
/// or 1/U² (flat) distance weight, summed over views with the angular step as quadrature weight.
/// Parallel over image rows; each row walks every view, so the working set of a row (one filtered view and
/// one image row) stays in cache. The adjoint (<see cref="AdjointInto(FanBeamGeometry, ReadOnlySpan{float}, ImageGrid2D, Span{float}, double)"/>,
/// the gradient of the backprojection) is parallel over views instead, so each task owns the samples it accumulates.
/// </summary>
/// <remarks>
/// For a view at β the pixel (x, y) lies at a = R + x·sin β − y·cos β along the central ray and
/// b = x·cos β + y·sin β across it (source at (−R sin β, R cos β)). Equiangular: γ = atan(b / a), weight 1/(a² + b²).
/// Flat (virtual detector through the isocenter): u = R·b / a, weight R²/a². Pixels whose ray falls outside the
/// detector, or that lie behind the source, get no contribution from that view.
/// </remarks>
public static class FanBeamBackprojector
{
    /// <summary>Backprojects a filtered view-major sinogram onto <paramref name="grid"/>, returning Size² values (row-major).</summary>
    /// <param name="geometry">Views and detector of <paramref name="filtered"/>.</param>
    /// <param name="filtered">Filtered (and weighted) sinogram, views × channels.</param>
    /// <param name="grid">Output grid.</param>
    /// <param name="scale">Extra factor on every contribution (1 for a full scan with the ½ in the kernel).</param>
    public static float[] Backproject(FanBeamGeometry geometry, ReadOnlySpan<float> filtered, ImageGrid2D grid, double scale = 1.0)
    {
        var image = new float[grid.Size * grid.Size];
        BackprojectInto(geometry, filtered, grid, image, scale);
        return image;
    }

    /// <summary>Adds the backprojection of <paramref name="filtered"/> into <paramref name="image"/> (Size² values, row-major).</summary>
    public static void BackprojectInto(FanBeamGeometry geometry, ReadOnlySpan<float> filtered, ImageGrid2D grid, Span<float> image, double scale = 1.0) =>
        BackprojectInto(geometry, filtered, grid, image, scale, allowVector: true);

    /// <summary>As the public overload; <paramref name="allowVector"/> = false forces the scalar kernel (for tests).</summary>
    internal static unsafe void BackprojectInto(FanBeamGeometry geometry, ReadOnlySpan<float> filtered, ImageGrid2D grid, Span<float> image, double scale, bool allowVector)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(grid);
        geometry.Validate();
        grid.Validate();
        int views = geometry.Views, channels = geometry.Channels, size = grid.Size;
        if (filtered.Length != views * channels)
        {
            throw new ArgumentException($"Expected {views} x {channels} filtered samples, got {filtered.Length}.", nameof(filtered));
        }
        if (image.Length != size * size)
        {
            throw new ArgumentException($"Expected an image of {size}x{size}, got {image.Length} values.", nameof(image));
        }

        // Each view gets one extra trailing sample (a copy of its last) so the interpolation's right neighbour
        // never needs a bounds check.
        int stride = channels + 1;
        var padded = new float[(long)views * stride];
        for (int v = 0; v < views; v++)
        {
            filtered.Slice(v * channels, channels).CopyTo(padded.AsSpan(v * stride, channels));
            padded[(long)v * stride + channels] = filtered[v * channels + channels - 1];
        }
        var kernel = CreateKernel(geometry, grid, scale, stride);
        fixed (float* sinoPtr = padded)
        fixed (float* imagePtr = image)
        {
            float* sino = sinoPtr;
            float* img = imagePtr;
            bool vector = allowVector && Avx2.IsSupported && Fma.IsSupported;
            Parallel.For(0, size, j =>
            {
                if (vector)
                {
                    kernel.RowAvx2(sino, img + (long)j * size, j);
                }
                else
                {
                    kernel.RowScalar(sino, img + (long)j * size, j, 0);
                }
            });
        }
    }

    /// <summary>
    /// Adds the adjoint (transpose) of <see cref="BackprojectInto(FanBeamGeometry, ReadOnlySpan{float}, ImageGrid2D, Span{float}, double)"/>
    /// applied to <paramref name="image"/> into <paramref name="sinogram"/> (views × channels): every pixel's
    /// weighted value is split between the two channels it was interpolated from, with the same weights, so
    /// ⟨Backproject(s), x⟩ = ⟨s, Adjoint(x)⟩ up to float rounding. This is the gradient of the backprojection.
    /// </summary>
    /// <param name="geometry">Views and detector of <paramref name="sinogram"/>.</param>
    /// <param name="image">Image on <paramref name="grid"/> (Size² values, row-major).</param>
    /// <param name="grid">Grid of <paramref name="image"/>.</param>
    /// <param name="sinogram">View-major sinogram the result is added to.</param>
    /// <param name="scale">The factor the forward backprojection used.</param>
    public static void AdjointInto(FanBeamGeometry geometry, ReadOnlySpan<float> image, ImageGrid2D grid, Span<float> sinogram, double scale = 1.0) =>
        AdjointInto(geometry, image, grid, sinogram, scale, allowVector: true);

    /// <summary>As the public overload; <paramref name="allowVector"/> = false forces the scalar kernel (for tests).</summary>
    internal static unsafe void AdjointInto(FanBeamGeometry geometry, ReadOnlySpan<float> image, ImageGrid2D grid, Span<float> sinogram, double scale, bool allowVector)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(grid);
        geometry.Validate();
        grid.Validate();
        int views = geometry.Views, channels = geometry.Channels, size = grid.Size;
        if (sinogram.Length != views * channels)
        {
            throw new ArgumentException($"Expected {views} x {channels} sinogram samples, got {sinogram.Length}.", nameof(sinogram));
        }
        if (image.Length != size * size)
        {
            throw new ArgumentException($"Expected an image of {size}x{size}, got {image.Length} values.", nameof(image));
        }

        // Views are independent in the transpose: each task owns one view's accumulators, so writes never race.
        // Lower- and upper-neighbour shares go to separate rows (upper[k] belongs to channel k + 1), so neighbouring
        // pixels, which usually fall one channel apart, do not chain their read-modify-writes through one address.
        int stride = channels + 1;
        var shares = new float[2L * views * stride];
        var kernel = CreateKernel(geometry, grid, scale, stride);
        fixed (float* sharesPtr = shares)
        fixed (float* imagePtr = image)
        {
            float* all = sharesPtr;
            float* img = imagePtr;
            bool vector = allowVector && Avx2.IsSupported && Fma.IsSupported;
            Parallel.For(0, views, v =>
            {
                float* lower = all + 2L * v * stride;
                float* upper = lower + stride;
                for (int j = 0; j < size; j++)
                {
                    if (vector)
                    {
                        kernel.ViewRowAdjointAvx2(img + (long)j * size, lower, upper, v, j);
                    }
                    else
                    {
                        kernel.ViewRowAdjointScalar(img + (long)j * size, lower, upper, v, j, 0);
                    }
                }
            });
        }
        for (int v = 0; v < views; v++)
        {
            Span<float> target = sinogram.Slice(v * channels, channels);
            ReadOnlySpan<float> lower = shares.AsSpan((int)(2L * v * stride), stride);
            ReadOnlySpan<float> upper = shares.AsSpan((int)(2L * v * stride + stride), stride);
            target[0] += lower[0];
            for (int c = 1; c < channels; c++)
            {
                target[c] += lower[c] + upper[c - 1];
            }
            // The trailing sample (index channels) was a copy of the last channel.
            target[channels - 1] += lower[channels] + upper[channels - 1];
        }
    }

    private static RowKernel CreateKernel(FanBeamGeometry geometry, ImageGrid2D grid, double scale, int stride)
    {
        int views = geometry.Views, channels = geometry.Channels, size = grid.Size;
        bool curved = geometry.Shape == DetectorShape.Curved;
        float r = (float)geometry.SourceToIsocenterMm;
        // Channel coordinate = γ/Δγ + c0 (curved) or u/Δu + c0 (flat, virtual detector at the isocenter).
        float invStep = curved
            ? (float)(1.0 / geometry.FanAngleIncrementRad)
            : (float)(geometry.SourceToDetectorMm / (geometry.ChannelSpacingMm * geometry.SourceToIsocenterMm));
        float c0 = (float)(geometry.CentralChannel - 1.0);
        var cos = new float[views];
        var sin = new float[views];
        for (int v = 0; v < views; v++)
        {
            double beta = geometry.ViewAngleRad(v);
            cos[v] = (float)Math.Cos(beta);
            sin[v] = (float)Math.Sin(beta);
        }
        float weight = (float)(geometry.AngleStepRad * scale);
        float pixel = (float)grid.PixelSpacingMm;
        float half = (size - 1) / 2f;
        float lastChannel = channels - 1;
        // Every channel within ±45° (with a channel's margin): rays with |tan γ| > 1 miss the detector.
        bool narrowFan = curved && geometry.MaxFanAngleRad + geometry.FanAngleIncrementRad < Math.PI / 4;
        return new RowKernel(r, invStep, c0, weight, pixel, half, lastChannel, curved, narrowFan, size, stride, cos, sin);
    }

    private readonly unsafe struct RowKernel(
        float r, float invStep, float c0, float weight, float pixel, float half, float lastChannel, bool curved, bool narrowFan, int size,
        int stride, float[] cos, float[] sin)
    {
        public void RowScalar(float* sino, float* row, int j, int firstColumn)
        {
            float y = (j - half) * pixel;
            float r2 = r * r;
            for (int v = 0; v < cos.Length; v++)
            {
                float cb = cos[v], sb = sin[v];
                float a0 = r - y * cb - half * pixel * sb;
                float b0 = y * sb - half * pixel * cb;
                float da = pixel * sb, db = pixel * cb;
                float* view = sino + (long)v * stride;
                for (int i = firstColumn; i < size; i++)
                {
                    float a = a0 + i * da;
                    float b = b0 + i * db;
                    float t = b / a;
                    float channel = (curved ? Atan(t) : r * t) * invStep + c0;
                    if (!(channel >= 0f && channel <= lastChannel && a > 0f))
                    {
                        continue;
                    }
                    int k = (int)channel;
                    float f = channel - k;
                    float value = view[k] + f * (view[k + 1] - view[k]);
                    float w = curved ? 1f / (a * a + b * b) : r2 / (a * a);
                    row[i] += weight * w * value;
                }
            }
        }

        // Eight pixels at a time: the same arithmetic as RowScalar, with masked gathers for the interpolation.
        public void RowAvx2(float* sino, float* row, int j)
        {
            int vectorEnd = size - size % 8;
            float y = (j - half) * pixel;
            var lane = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
            var zero = Vector256<float>.Zero;
            var one = Vector256.Create(1f);
            var halfPi = Vector256.Create(MathF.PI / 2f);
            var signMask = Vector256.Create(-0f);
            var vInvStep = Vector256.Create(invStep);
            var vC0 = Vector256.Create(c0);
            var vLast = Vector256.Create(lastChannel);
            var vR = Vector256.Create(r);
            var vR2 = Vector256.Create(r * r);
            var vWeight = Vector256.Create(weight);
            var two = Vector256.Create(2f);
            for (int v = 0; v < cos.Length; v++)
            {
                float cb = cos[v], sb = sin[v];
                float a0 = r - y * cb - half * pixel * sb;
                float b0 = y * sb - half * pixel * cb;
                var da = Vector256.Create(pixel * sb);
                var db = Vector256.Create(pixel * cb);
                float* view = sino + (long)v * stride;
                for (int i = 0; i < vectorEnd; i += 8)
                {
                    var column = Vector256.Create((float)i) + lane;
                    var a = Fma.MultiplyAdd(column, da, Vector256.Create(a0));
                    var b = Fma.MultiplyAdd(column, db, Vector256.Create(b0));
                    // Divisions are the bottleneck: one reciprocal estimate refined by a Newton step (~23 bits)
                    // serves t = b/a and the distance weight 1/(a² + b²) = (1/a)²/(1 + t²).
                    var invA = Reciprocal(a, two);
                    var t = b * invA;
                    Vector256<float> channel;
                    Vector256<float> inFan;
                    if (curved)
                    {
                        // A detector narrower than ±45° never sees |t| > 1, so the atan needs no range reduction.
                        channel = Fma.MultiplyAdd(narrowFan ? AtanReducedAvx2(t) : AtanAvx2(t, one, halfPi, signMask), vInvStep, vC0);
                        inFan = narrowFan ? Avx.CompareLessThanOrEqual(Avx.AndNot(signMask, t), one) : Avx.CompareGreaterThan(a, zero);
                    }
                    else
                    {
                        channel = Fma.MultiplyAdd(vR * t, vInvStep, vC0);
                        inFan = Avx.CompareGreaterThan(a, zero);
                    }
                    var valid = Avx.And(
                        Avx.And(Avx.CompareGreaterThanOrEqual(channel, zero), Avx.CompareLessThanOrEqual(channel, vLast)),
                        Avx.And(inFan, Avx.CompareGreaterThan(a, zero)));
                    if (Avx.MoveMask(valid) == 0)
                    {
                        continue;
                    }
                    var safe = Avx.BlendVariable(zero, channel, valid); // NaN and out-of-range lanes read channel 0
                    var k = Avx.ConvertToVector256Int32WithTruncation(safe);
                    var f = safe - Avx.ConvertToVector256Single(k);
                    var left = Avx2.GatherVector256(view, k, 4);
                    var right = Avx2.GatherVector256(view + 1, k, 4);
                    var value = Fma.MultiplyAdd(f, right - left, left);
                    var w = curved ? invA * invA * Reciprocal(Fma.MultiplyAdd(t, t, one), two) : vR2 * invA * invA;
                    var contribution = Avx.And(vWeight * w * value, valid);
                    Avx.Store(row + i, Avx.LoadVector256(row + i) + contribution);
                }
            }
            if (vectorEnd < size)
            {
                RowScalar(sino, row, j, vectorEnd);
            }
        }

        // The transpose of RowScalar for one (view, image row): the same coordinates, weights and validity, with the
        // pixel's weighted value split between the two interpolated channels (upperShares[k] belongs to channel k + 1).
        public void ViewRowAdjointScalar(float* row, float* lowerShares, float* upperShares, int v, int j, int firstColumn)
        {
            float y = (j - half) * pixel;
            float r2 = r * r;
            float cb = cos[v], sb = sin[v];
            float a0 = r - y * cb - half * pixel * sb;
            float b0 = y * sb - half * pixel * cb;
            float da = pixel * sb, db = pixel * cb;
            for (int i = firstColumn; i < size; i++)
            {
                float a = a0 + i * da;
                float b = b0 + i * db;
                float t = b / a;
                float channel = (curved ? Atan(t) : r * t) * invStep + c0;
                if (!(channel >= 0f && channel <= lastChannel && a > 0f))
                {
                    continue;
                }
                int k = (int)channel;
                float f = channel - k;
                float w = curved ? 1f / (a * a + b * b) : r2 / (a * a);
                float g = weight * w * row[i];
                float upper = g * f;
                lowerShares[k] += g - upper;
                upperShares[k] += upper;
            }
        }

        // The transpose of RowAvx2 for one (view, image row): identical vector arithmetic for the coordinates, so
        // the adjoint sees exactly the forward's interpolation weights and validity; the scatter is per lane.
        public void ViewRowAdjointAvx2(float* row, float* lowerShares, float* upperShares, int v, int j)
        {
            int vectorEnd = size - size % 8;
            float y = (j - half) * pixel;
            var lane = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
            var zero = Vector256<float>.Zero;
            var one = Vector256.Create(1f);
            var halfPi = Vector256.Create(MathF.PI / 2f);
            var signMask = Vector256.Create(-0f);
            var vInvStep = Vector256.Create(invStep);
            var vC0 = Vector256.Create(c0);
            var vLast = Vector256.Create(lastChannel);
            var vR = Vector256.Create(r);
            var vR2 = Vector256.Create(r * r);
            var vWeight = Vector256.Create(weight);
            float cb = cos[v], sb = sin[v];
            float a0 = r - y * cb - half * pixel * sb;
            float b0 = y * sb - half * pixel * cb;
            var da = Vector256.Create(pixel * sb);
            var db = Vector256.Create(pixel * cb);
            int* lowerChannel = stackalloc int[8];
            float* lowerShare = stackalloc float[8];
            float* upperShare = stackalloc float[8];
            for (int i = 0; i < vectorEnd; i += 8)
            {
                var column = Vector256.Create((float)i) + lane;
                var a = Fma.MultiplyAdd(column, da, Vector256.Create(a0));
                var b = Fma.MultiplyAdd(column, db, Vector256.Create(b0));
                var t = b / a;
                Vector256<float> channel;
                if (curved)
                {
                    channel = Fma.MultiplyAdd(AtanAvx2(t, one, halfPi, signMask), vInvStep, vC0);
                }
                else
                {
                    channel = Fma.MultiplyAdd(vR * t, vInvStep, vC0);
                }
                var valid = Avx.And(
                    Avx.And(Avx.CompareGreaterThanOrEqual(channel, zero), Avx.CompareLessThanOrEqual(channel, vLast)),
                    Avx.CompareGreaterThan(a, zero));
                int mask = Avx.MoveMask(valid);
                if (mask == 0)
                {
                    continue;
                }
                var safe = Avx.BlendVariable(zero, channel, valid);
                var k = Avx.ConvertToVector256Int32WithTruncation(safe);
                var f = safe - Avx.ConvertToVector256Single(k);
                var w = curved ? one / Fma.MultiplyAdd(a, a, b * b) : vR2 / (a * a);
                var g = Avx.And(vWeight * w * Avx.LoadVector256(row + i), valid);
                var upper = g * f;
                Avx.Store(lowerChannel, k);
                Avx.Store(lowerShare, g - upper);
                Avx.Store(upperShare, upper);
                while (mask != 0)
                {
                    int l = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    int kl = lowerChannel[l];
                    lowerShares[kl] += lowerShare[l];
                    upperShares[kl] += upperShare[l];
                }
            }
            if (vectorEnd < size)
            {
                ViewRowAdjointScalar(row, lowerShares, upperShares, v, j, vectorEnd);
            }
        }
    }

    // 1/x from the hardware estimate (12 bits) and one Newton–Raphson step: r·(2 − x·r).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reciprocal(Vector256<float> x, Vector256<float> two)
    {
        var estimate = Avx.Reciprocal(x);
        return estimate * Fma.MultiplyAddNegated(x, estimate, two);
    }

    // The A&S 4.4.49 polynomial for |t| ≤ 1, without range reduction (sign-symmetric: odd polynomial).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AtanReducedAvx2(Vector256<float> t)
    {
        var t2 = t * t;
        var p = Vector256.Create(0.0028662257f);
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(-0.0161657367f));
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(0.0429096138f));
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(-0.0752896400f));
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(0.1065626393f));
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(-0.1420889944f));
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(0.1999355085f));
        p = Fma.MultiplyAdd(p, t2, Vector256.Create(-0.3333314528f));
        return Fma.MultiplyAdd(t * t2, p, t);
    }

    // Eight arctangents with the polynomial of Atan, so the vector and scalar kernels map pixels to the same channels.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AtanAvx2(Vector256<float> t, Vector256<float> one, Vector256<float> halfPi, Vector256<float> signMask)
    {
        var ax = Avx.AndNot(signMask, t);
        var invert = Avx.CompareGreaterThan(ax, one);
        var z = Avx.BlendVariable(ax, one / ax, invert);
        var z2 = z * z;
        var p = Vector256.Create(0.0028662257f);
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(-0.0161657367f));
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(0.0429096138f));
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(-0.0752896400f));
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(0.1065626393f));
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(-0.1420889944f));
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(0.1999355085f));
        p = Fma.MultiplyAdd(p, z2, Vector256.Create(-0.3333314528f));
        var atan = Fma.MultiplyAdd(z * z2, p, z);
        atan = Avx.BlendVariable(atan, halfPi - atan, invert);
        return Avx.Or(atan, Avx.And(t, signMask));
    }

    /// <summary>
    /// Arctangent with |error| ≤ 2e-8 rad on the reduced range (Abramowitz &amp; Stegun 4.4.49), reduced from any
    /// argument by atan(x) = ±π/2 − atan(1/x).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Atan(float x)
    {
        float ax = MathF.Abs(x);
        bool invert = ax > 1f;
        float z = invert ? 1f / ax : ax;
        float z2 = z * z;
        float p = 0.0028662257f;
        p = p * z2 - 0.0161657367f;
        p = p * z2 + 0.0429096138f;
        p = p * z2 - 0.0752896400f;
        p = p * z2 + 0.1065626393f;
        p = p * z2 - 0.1420889944f;
        p = p * z2 + 0.1999355085f;
        p = p * z2 - 0.3333314528f;
        float result = z + z * z2 * p;
        if (invert)
        {
            result = MathF.PI / 2f - result;
        }
        return x < 0 ? -result : result;
    }
}
