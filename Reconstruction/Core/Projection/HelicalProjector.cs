using System.Diagnostics;
using System.Runtime.CompilerServices;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Ray-driven forward projector of a voxel volume (Joseph's method) for helical and axial fan/cone-beam
/// geometries with a curved or flat detector. Output: line integrals ∫μ dl, view-major
/// <c>[(view·Rows + row)·Channels + channel]</c>, for every detector row.
/// </summary>
/// <remarks>
/// <para>Joseph's method (Joseph, IEEE TMI 1982) in 3D: each ray is sampled once per voxel plane of its dominant
/// in-plane axis (x when |dx| ≥ |dy|, else y), at the plane's voxel centres; the value there is interpolated
/// bilinearly from the four voxels around the crossing point (linear in the other in-plane axis, linear in z),
/// and the sum is scaled by the ray length per plane, pixel·|r|/|r_dominant|. The volume is taken to be this
/// interpolant, falling linearly to 0 over one voxel beyond its faces in the non-dominant axes; rays that miss
/// it give 0. The cone angle is small, so z is never the dominant axis.</para>
/// <para>Ray set: view v has source S = (−R·sin φ, R·cos φ, z_v) with φ and z_v from the plan; the ray of
/// channel γ and row offset w runs towards S + D·d(γ) + w·ẑ (curved) or S + D·c + u·e + w·ẑ (flat).
/// The volume must lie inside the source circle in-plane (the whole ray from the source onward is integrated).</para>
/// <para>Work is parallel over views; per channel the in-plane crossing (plane offset and weight) is computed
/// once and shared by all rows, whose z samples are contiguous in memory.</para>
/// </remarks>
public sealed class HelicalProjector
{
    /// <summary>Creates a projector.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HelicalProjector(ProjectorOptions? options = null)
    {
        Options = options ?? new ProjectorOptions();
        Options.Validate();
    }

    /// <summary>The projector's settings.</summary>
    public ProjectorOptions Options { get; }

    /// <summary>Projects <paramref name="volume"/> along the rays of <paramref name="plan"/> and its geometry.</summary>
    /// <inheritdoc cref="Project(CtVolume, HelicalGeometry, HelicalScanPlan, IProgress{int}?, CancellationToken)"/>
    public float[] Project(
        CtVolume volume, HelicalScanPlan plan, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Project(volume, plan.Geometry, plan, progress, cancellationToken);
    }

    /// <summary>
    /// Projects <paramref name="volume"/> (μ in 1/mm, or HU converted with <see cref="ProjectorOptions.MuWaterPerMm"/>)
    /// through the detector of <paramref name="geometry"/> from the source positions (angle, z) of <paramref name="plan"/>.
    /// </summary>
    /// <param name="volume">Attenuation or Hounsfield volume.</param>
    /// <param name="geometry">Detector and source distances (the source positions come from the plan).</param>
    /// <param name="plan">Views to project.</param>
    /// <param name="progress">Receives the number of views completed (about a hundred reports per call).</param>
    /// <param name="cancellationToken">Cancels the projection (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>Line integrals, view-major [view][row][channel].</returns>
    /// <exception cref="ArgumentException">The volume reaches the source circle, or the output would be too large.</exception>
    public float[] Project(
        CtVolume volume, HelicalGeometry geometry, HelicalScanPlan plan,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(plan);
        VolumeGrid grid = volume.Grid;
        // The padded box (one voxel beyond the outer voxel centres) must lie strictly inside the source circle so
        // every sample is in front of the source.
        double halfX = (grid.Nx + 1) / 2.0 * grid.PixelSpacingMm;
        double halfY = (grid.Ny + 1) / 2.0 * grid.PixelSpacingMm;
        if (!(Math.Sqrt(halfX * halfX + halfY * halfY) < geometry.SourceToIsocenterMm))
        {
            throw new ArgumentException(
                $"Volume {grid.Nx}x{grid.Ny} at {grid.PixelSpacingMm} mm reaches the source circle (R = {geometry.SourceToIsocenterMm} mm).",
                nameof(volume));
        }
        long total = (long)plan.Views * geometry.Rows * geometry.Channels;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"{plan.Views} views of {geometry.Rows}x{geometry.Channels} exceed the largest array ({total} values).", nameof(plan));
        }

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        JosephVolume vol = JosephVolume.Create(volume, Options.MuWaterPerMm, parallel);
        var rays = new DetectorRays(geometry);
        var output = new float[total];
        var tracker = new ViewProgress(progress, plan.Views);
        int maxPlanes = Math.Max(grid.Nx, grid.Ny);
        Parallel.For(
            0, plan.Views, parallel,
            () => new PlaneScratch(maxPlanes),
            (view, _, scratch) =>
            {
                ProjectView(vol, rays, plan.AngleSpan[view], plan.ZSpan[view], scratch,
                    output.AsSpan((int)((long)view * rays.Rows * rays.Channels), rays.Rows * rays.Channels));
                tracker.ViewDone();
                return scratch;
            },
            _ => { });
        return output;
    }

    /// <summary>Projects one view into <paramref name="target"/> ([row][channel], pre-zeroed).</summary>
    /// <remarks>Compiled optimised at once: a projection's first views would otherwise run unoptimised tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProjectView(
        JosephVolume vol, DetectorRays rays, double angleRad, double sourceZMm, PlaneScratch scratch, Span<float> target)
    {
        double r = rays.SourceToIsocenterMm;
        double sx = -r * Math.Sin(angleRad);
        double sy = r * Math.Cos(angleRad);
        double px = vol.PixelMm;
        int channels = rays.Channels;

        fixed (float* xMajor = vol.XMajor, yMajor = vol.YMajor, frac = scratch.Fraction)
        fixed (int* planeBase = scratch.Base)
        fixed (float* output = target)
        {
            for (int ch = 0; ch < channels; ch++)
            {
                double ang = angleRad + rays.ChannelAngleRad[ch];
                double rx = Math.Sin(ang);
                double ry = -Math.Cos(ang);

                // Name the dominant in-plane axis "a" (sampled at its voxel planes) and the other "b".
                bool xDominant = Math.Abs(rx) >= Math.Abs(ry);
                int na, nb, planeStride;
                double sa, sb, ra, rb;
                float* data;
                if (xDominant)
                {
                    na = vol.Nx; nb = vol.Ny; planeStride = vol.XPlaneStride; data = xMajor;
                    sa = sx; sb = sy; ra = rx; rb = ry;
                }
                else
                {
                    na = vol.Ny; nb = vol.Nx; planeStride = vol.YPlaneStride; data = yMajor;
                    sa = sy; sb = sx; ra = ry; rb = rx;
                }

                // In-plane distance from the source to plane a: t(a) = t0 + a·dt.
                double ca = (na - 1) / 2.0, cb = (nb - 1) / 2.0;
                double t0 = (-ca * px - sa) / ra;
                double dt = px / ra;
                // Padded b coordinate (voxel index + 1) at plane a: b0 + a·db, valid in [0, nb + 1).
                double b0 = (sb + t0 * rb) / px + cb + 1.0;
                double db = rb / ra;
                int first = 0, last = na - 1;
                if (!ClipToRange(b0, db, nb + 1, ref first, ref last))
                {
                    continue;
                }
                int rowStride = vol.RowStride;
                for (int a = first; a <= last; a++)
                {
                    double b = b0 + a * db;
                    int bi = (int)b;
                    planeBase[a] = a * planeStride + bi * rowStride;
                    frac[a] = (float)(b - bi);
                }
                double inPlaneStep = px / Math.Abs(ra);

                for (int row = 0; row < rays.Rows; row++)
                {
                    double slope = rays.ZPerInPlaneMm(ch, row);
                    // Padded z coordinate (slice index + 1) at plane a: k0 + a·dk, valid in [0, nz + 1).
                    double k0 = (sourceZMm + t0 * slope - vol.FirstZMm) / vol.SliceMm + 1.0;
                    double dk = dt * slope / vol.SliceMm;
                    int lo = first, hi = last;
                    if (!ClipToRange(k0, dk, vol.Nz + 1, ref lo, ref hi))
                    {
                        continue;
                    }
                    float sum = 0f;
                    for (int a = lo; a <= hi; a++)
                    {
                        double k = k0 + a * dk;
                        int ki = (int)k;
                        float fk = (float)(k - ki);
                        float* p = data + planeBase[a] + ki;
                        float near = p[0] + fk * (p[1] - p[0]);
                        float far = p[rowStride] + fk * (p[rowStride + 1] - p[rowStride]);
                        sum += near + frac[a] * (far - near);
                    }
                    output[row * channels + ch] = (float)(sum * inPlaneStep * Math.Sqrt(1.0 + slope * slope));
                }
            }
        }
    }

    /// <summary>
    /// Narrows [first, last] to the planes a whose coordinate c0 + a·slope lies in [0, limit), evaluated exactly
    /// as the sampling loop evaluates it, so the loop may index the padded volume without checks.
    /// </summary>
    /// <returns>False when no plane remains.</returns>
    internal static bool ClipToRange(double c0, double slope, double limit, ref int first, ref int last)
    {
        int lo = first, hi = last;
        if (slope == 0)
        {
            return Inside(c0, 0, limit, 0) && first <= last;
        }
        double r1 = (0 - c0) / slope, r2 = (limit - c0) / slope;
        double rMin = Math.Min(r1, r2), rMax = Math.Max(r1, r2);
        if (!(rMin <= hi + 1) || !(rMax >= lo - 1))
        {
            return false; // Also rejects NaN.
        }
        int f = (int)Math.Ceiling(Math.Clamp(rMin, lo, hi + 1.0));
        int l = (int)Math.Floor(Math.Clamp(rMax, lo - 1.0, hi));
        // Settle rounding at the ends: the coordinate is monotonic in a, so checking the ends suffices.
        while (f <= l && !Inside(c0, slope, limit, f))
        {
            f++;
        }
        while (l >= f && !Inside(c0, slope, limit, l))
        {
            l--;
        }
        if (f > l)
        {
            return false;
        }
        while (f > lo && Inside(c0, slope, limit, f - 1))
        {
            f--;
        }
        while (l < hi && Inside(c0, slope, limit, l + 1))
        {
            l++;
        }
        Debug.Assert(Inside(c0, slope, limit, f) && Inside(c0, slope, limit, l));
        first = f;
        last = l;
        return true;
    }

    private static bool Inside(double c0, double slope, double limit, int a)
    {
        double c = c0 + a * slope;
        return c >= 0 && c < limit;
    }

    /// <summary>Per-thread buffers for one channel's plane crossings.</summary>
    private sealed class PlaneScratch(int planes)
    {
        public int[] Base { get; } = new int[planes];

        public float[] Fraction { get; } = new float[planes];
    }
}
