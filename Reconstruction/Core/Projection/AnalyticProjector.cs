using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Exact line integrals of an analytic phantom (<see cref="SheppLogan3D.LineIntegral"/>) for the same ray set
/// and output layout as <see cref="HelicalProjector"/>: view-major <c>[(view·Rows + row)·Channels + channel]</c>.
/// The phantom, centred at the origin in its own frame, is placed with its centre at (0, 0, phantomCenterZMm).
/// </summary>
public sealed class AnalyticProjector
{
    /// <summary>Creates a projector (only <see cref="ProjectorOptions.MaxDegreeOfParallelism"/> applies).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AnalyticProjector(ProjectorOptions? options = null)
    {
        Options = options ?? new ProjectorOptions();
        Options.Validate();
    }

    /// <summary>The projector's settings.</summary>
    public ProjectorOptions Options { get; }

    /// <summary>Line integrals of <paramref name="phantom"/> along the rays of <paramref name="plan"/> and its geometry.</summary>
    /// <inheritdoc cref="Project(SheppLogan3D, HelicalGeometry, HelicalScanPlan, double, IProgress{int}?, CancellationToken)"/>
    public float[] Project(
        SheppLogan3D phantom, HelicalScanPlan plan, double phantomCenterZMm = 0,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Project(phantom, plan.Geometry, plan, phantomCenterZMm, progress, cancellationToken);
    }

    /// <summary>
    /// Line integrals of <paramref name="phantom"/> (centred at z = <paramref name="phantomCenterZMm"/>) through the
    /// detector of <paramref name="geometry"/> from the source positions of <paramref name="plan"/>.
    /// </summary>
    /// <param name="phantom">The analytic phantom.</param>
    /// <param name="geometry">Detector and source distances (the source positions come from the plan).</param>
    /// <param name="plan">Views to project.</param>
    /// <param name="phantomCenterZMm">z (mm) of the phantom's centre in the scanner frame.</param>
    /// <param name="progress">Receives the number of views completed (about a hundred reports per call).</param>
    /// <param name="cancellationToken">Cancels the projection (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>Line integrals, view-major [view][row][channel].</returns>
    /// <exception cref="ArgumentException">The centre is not finite or the output would be too large.</exception>
    public float[] Project(
        SheppLogan3D phantom, HelicalGeometry geometry, HelicalScanPlan plan, double phantomCenterZMm = 0,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(plan);
        if (!double.IsFinite(phantomCenterZMm))
        {
            throw new ArgumentException($"Phantom centre z must be finite (got {phantomCenterZMm}).", nameof(phantomCenterZMm));
        }
        long total = (long)plan.Views * geometry.Rows * geometry.Channels;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"{plan.Views} views of {geometry.Rows}x{geometry.Channels} exceed the largest array ({total} values).", nameof(plan));
        }
        var rays = new DetectorRays(geometry);
        var output = new float[total];
        var tracker = new ViewProgress(progress, plan.Views);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        int perView = rays.Rows * rays.Channels;
        Parallel.For(0, plan.Views, parallel, view =>
        {
            double phi = plan.AngleSpan[view];
            double r = rays.SourceToIsocenterMm;
            double sx = -r * Math.Sin(phi), sy = r * Math.Cos(phi);
            // The phantom's frame is centred on its own origin: shift the source instead of the phantom.
            double sz = plan.ZSpan[view] - phantomCenterZMm;
            Span<float> target = output.AsSpan(view * perView, perView);
            for (int ch = 0; ch < rays.Channels; ch++)
            {
                double ang = phi + rays.ChannelAngleRad[ch];
                double dx = Math.Sin(ang), dy = -Math.Cos(ang);
                for (int row = 0; row < rays.Rows; row++)
                {
                    double dz = rays.ZPerInPlaneMm(ch, row);
                    target[row * rays.Channels + ch] = (float)phantom.LineIntegral(sx, sy, sz, dx, dy, dz);
                }
            }
            tracker.ViewDone();
        });
        return output;
    }
}
