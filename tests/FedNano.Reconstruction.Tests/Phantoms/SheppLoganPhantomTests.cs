using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Phantoms;

public class SheppLoganPhantomTests
{
    private static readonly VolumeGrid Grid = new(65, 59, 5, 3.0, 20.0, -40.0);

    [Fact]
    public void Voxelized_attenuation_matches_point_values_at_voxel_centres_away_from_edges()
    {
        var phantom = new SheppLogan3D(80);
        CtVolume mu = phantom.Voxelize(Grid, supersample: 2);
        Assert.Equal(VolumeUnit.AttenuationPerMm, mu.Unit);
        double half = Grid.PixelSpacingMm / 2;
        int interior = 0;
        for (int k = 0; k < Grid.Nz; k++)
        {
            double z = Grid.ZMm(k);
            for (int j = 0; j < Grid.Ny; j++)
            {
                for (int i = 0; i < Grid.Nx; i++)
                {
                    double x = Grid.XMm(i), y = Grid.YMm(j);
                    double center = phantom.Value(x, y, z);
                    // Away from edges: the whole voxel footprint has the centre's value.
                    bool uniform = new[] { (-1, -1), (-1, 1), (1, -1), (1, 1) }
                        .All(c => phantom.Value(x + c.Item1 * half, y + c.Item2 * half, z) == center);
                    if (uniform)
                    {
                        interior++;
                        Assert.Equal(center, mu.Values[(k * Grid.Ny + j) * Grid.Nx + i], 1e-7);
                    }
                }
            }
        }
        Assert.True(interior > Grid.VoxelCount / 2);
    }

    [Fact]
    public void Supersample_one_samples_voxel_centres_exactly()
    {
        var phantom = new SheppLogan3D(70, 0.02);
        CtVolume mu = phantom.Voxelize(Grid, supersample: 1);
        for (int k = 0; k < Grid.Nz; k++)
        {
            for (int j = 0; j < Grid.Ny; j += 3)
            {
                for (int i = 0; i < Grid.Nx; i += 3)
                {
                    Assert.Equal((float)phantom.Value(Grid.XMm(i), Grid.YMm(j), Grid.ZMm(k)), mu.Values[(k * Grid.Ny + j) * Grid.Nx + i]);
                }
            }
        }
    }

    [Fact]
    public void Edge_voxels_take_intermediate_values()
    {
        var phantom = new SheppLogan3D(80);
        CtVolume mu = phantom.Voxelize(Grid, supersample: 4);
        double skull = 2.0 * phantom.MuWaterPerMm;
        Assert.Contains(mu.Values, v => v > 0.05 * skull && v < 0.95 * skull && Math.Abs(v - 1.02 * phantom.MuWaterPerMm) > 1e-4);
    }

    [Fact]
    public void Generator_fits_the_grid_and_converts_to_hounsfield()
    {
        var generator = new SheppLoganPhantom(new SheppLoganPhantomOptions { Supersample = 1 });
        PhantomCase c = generator.Generate(Grid, 99);
        double radius = 0.9 * 59 * 3.0 / 2;
        Assert.Equal(radius, c.Findings.SheppLogan!.RadiusMm, 1e-9);
        Assert.Equal(99, c.Findings.Seed);
        Assert.Equal("shepp-logan", c.Findings.Phantom);
        Assert.Equal(10, c.Findings.Ellipsoids.Count);
        EllipsoidFinding skull = c.Findings.Ellipsoids[0];
        Assert.Equal(0.92 * radius, skull.SemiAxisYMm, 1e-9);
        Assert.Equal(2.0, skull.AdditiveDensity);

        CtVolume hu = c.Hounsfield;
        Assert.Equal(VolumeUnit.Hounsfield, hu.Unit);
        int mid = 2; // z = 0
        Assert.Equal(-1000, PhantomProbe.At(hu, 95, 85, mid), 0.01);                    // air
        Assert.Equal(20, PhantomProbe.At(hu, 0, -0.3 * radius, mid), 0.01);              // brain (1.02 μw)
        Assert.Equal(1000, PhantomProbe.At(hu, 0, 0.9 * radius, mid), 0.01);            // skull (2.0 μw)
    }

    [Fact]
    public void Radius_option_overrides_the_grid_fit()
    {
        PhantomCase c = new SheppLoganPhantom(new SheppLoganPhantomOptions { RadiusMm = 50 }).Generate(Grid, 0);
        Assert.Equal(50, c.Findings.SheppLogan!.RadiusMm);
        Assert.Equal(-1000, PhantomProbe.At(c.Hounsfield, 0, 60, 2), 0.01);
    }

    [Fact]
    public void Bad_supersampling_or_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SheppLogan3D(50).Voxelize(Grid, 0));
        Assert.Throws<ArgumentException>(() => new SheppLogan3D(50).Voxelize(Grid, 9));
        Assert.Throws<ArgumentException>(() => new SheppLoganPhantom(new SheppLoganPhantomOptions { RadiusMm = -1 }));
        Assert.Throws<ArgumentException>(() => new SheppLoganPhantom(new SheppLoganPhantomOptions { GridFillFraction = 0 }));
    }
}
