using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The 3D Shepp–Logan head phantom (<see cref="SheppLogan3D"/>, Kak &amp; Slaney densities) voxelised to HU:
/// air −1000, skull +1000, brain +20, ventricles 0. It is not random: the seed is only recorded. By default the
/// radius fits the grid (see <see cref="SheppLoganPhantomOptions"/>), centred at x = y = z = 0.
/// </summary>
public sealed class SheppLoganPhantom : IPhantomGenerator
{
    private readonly SheppLoganPhantomOptions _options;

    /// <summary>Creates the generator.</summary>
    /// <param name="options">Options; null for defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SheppLoganPhantom(SheppLoganPhantomOptions? options = null)
    {
        _options = options ?? new SheppLoganPhantomOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "shepp-logan";

    /// <summary>The options in use.</summary>
    public SheppLoganPhantomOptions Options => _options;

    /// <summary>The radius (mm) used on <paramref name="grid"/>.</summary>
    public double RadiusMmFor(VolumeGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return _options.RadiusMm ?? _options.GridFillFraction * Math.Min(grid.Nx, grid.Ny) * grid.PixelSpacingMm / 2;
    }

    /// <inheritdoc/>
    public PhantomCase Generate(VolumeGrid grid, int seed)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        double radius = RadiusMmFor(grid);
        double muWater = _options.MuWaterPerMm;
        var phantom = new SheppLogan3D(radius, muWater);
        CtVolume hu = phantom.Voxelize(grid, _options.Supersample).ToHounsfield(muWater);
        var ellipsoids = new List<EllipsoidFinding>(phantom.Ellipsoids.Count);
        for (int i = 0; i < phantom.Ellipsoids.Count; i++)
        {
            Ellipsoid e = phantom.Ellipsoids[i];
            ellipsoids.Add(new EllipsoidFinding(
                i,
                new PointMm(e.CenterX * radius, e.CenterY * radius, e.CenterZ * radius),
                e.SemiAxisX * radius, e.SemiAxisY * radius, e.SemiAxisZ * radius,
                e.RotationDeg, e.Density));
        }
        var findings = new PhantomFindings(Name, seed)
        {
            SheppLogan = new SheppLoganLayout(radius, muWater),
            Ellipsoids = ellipsoids,
        };
        return new PhantomCase(hu, findings);
    }
}
