using System.Runtime.InteropServices;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Phantoms;

public class ChestPhantomTests
{
    // Fewer vessel terminals keep the tests quick; the findings and landmarks do not depend on the vessel trees.
    private static readonly ChestPhantomOptions Quick = new() { VesselTerminalsPerTree = 150 };

    private static readonly VolumeGrid Small = new(72, 64, 6, 6.0, 50.0, -125.0);

    [Fact]
    public void Same_seed_and_grid_give_bit_identical_volumes_and_findings()
    {
        var generator = new ChestPhantom(Quick);
        PhantomCase a = generator.Generate(Small, 42);
        PhantomCase b = generator.Generate(Small, 42);
        Assert.True(MemoryMarshal.AsBytes(a.Hounsfield.Values.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.Hounsfield.Values.AsSpan())));
        Assert.Equal(a.Findings, b.Findings);
    }

    [Fact]
    public void Different_seeds_give_different_patients()
    {
        var generator = new ChestPhantom(Quick);
        PhantomCase a = generator.Generate(Small, 1);
        PhantomCase b = generator.Generate(Small, 2);
        int differing = a.Hounsfield.Values.Zip(b.Hounsfield.Values).Count(p => Math.Abs(p.First - p.Second) > 1);
        Assert.True(differing > a.Hounsfield.Values.Length / 20, $"only {differing} voxels differ");
        Assert.NotEqual(a.Findings.Chest, b.Findings.Chest);
    }

    [Fact]
    public void Consecutive_seeds_do_not_repeat_the_same_findings()
    {
        var generator = new ChestPhantom(Quick);
        PhantomFindings[] cases = [.. Enumerable.Range(1, 12).Select(generator.Findings)];
        // With the default probabilities some cases must differ in their nodule count and some in effusion/emphysema.
        Assert.True(cases.Select(c => c.Nodules.Count).Distinct().Count() >= 3);
        Assert.Contains(cases, c => c.Emphysema.Count > 0);
        Assert.Contains(cases, c => c.Emphysema.Count == 0);
        Assert.True(cases.Select(c => c.Chest!.BodyWidthMm).Distinct().Count() == cases.Length);
    }

    [Fact]
    public void Volume_is_in_hounsfield_units_and_within_the_ct_range()
    {
        CtVolume hu = new ChestPhantom(Quick).Generate(Small, 3).Hounsfield;
        Assert.Equal(VolumeUnit.Hounsfield, hu.Unit);
        Assert.Equal(Small, hu.Grid);
        Assert.All(hu.Values, v => Assert.InRange(v, -1000f, 2999f));
    }

    [Fact]
    public void Landmarks_hold_the_tissues_they_name()
    {
        var generator = new ChestPhantom(Quick with { Supersample = 1 });
        const int seed = 5;
        ChestLandmarks m = generator.Findings(seed).Chest!;
        ChestTissueHu t = Quick.Tissue;

        CtVolume heart = PhantomProbe.Slice(generator, seed, m.HeartCenter.ZMm);
        Assert.Equal(t.Blood, PhantomProbe.At(heart, m.HeartCenter.XMm, m.HeartCenter.YMm), 1.0);
        Assert.Equal(t.Air, PhantomProbe.At(heart, 205, -205), 1.0);
        Assert.Equal(t.Air, PhantomProbe.At(heart, 0, -m.BodyDepthMm / 2 - 5), 1.0);

        CtVolume aorta = heart;
        Assert.Equal(t.Blood, PhantomProbe.At(aorta, m.DescendingAortaCenter.XMm, m.DescendingAortaCenter.YMm), 1.0);

        CtVolume spine = PhantomProbe.Slice(generator, seed, m.VertebralBodyCenter.ZMm);
        Assert.Equal(t.CancellousBone, PhantomProbe.At(spine, m.VertebralBodyCenter.XMm, m.VertebralBodyCenter.YMm), 1.0);

        foreach (PointMm p in new[] { m.RightLungPoint, m.LeftLungPoint })
        {
            CtVolume lung = PhantomProbe.Slice(generator, seed, p.ZMm);
            Assert.InRange(PhantomProbe.MedianAround(lung, p.XMm, p.YMm), -920f, -780f);
        }
        Assert.True(m.RightLungPoint.XMm < 0 && m.LeftLungPoint.XMm > 0, "right lung is at −x, left at +x");
    }

    [Fact]
    public void Anatomy_spans_the_thorax_from_apex_to_bases_with_the_heart_low()
    {
        ChestLandmarks m = new ChestPhantom(Quick).Findings(8).Chest!;
        Assert.True(m.LungApexZMm >= 150 && m.LungBaseZMm <= -115, $"lungs {m.LungBaseZMm}..{m.LungApexZMm}");
        Assert.True(m.RightDiaphragmDomeZMm > m.LeftDiaphragmDomeZMm, "right dome is higher");
        Assert.True(m.HeartCenter.ZMm < m.CarinaZMm - 40, "heart lies well below the carina");
        Assert.InRange(m.BodyWidthMm, 300, 340);
        Assert.InRange(m.BodyDepthMm, 200, 240);

        // Lungs are large in mid-thorax and small near the apex; the heart fills its neighbourhood low, not high.
        var generator = new ChestPhantom(Quick);
        int LungVoxels(double z) => PhantomProbe.Slice(generator, 8, z, 4.0, 111).Values.Count(v => v is < -700 and > -990);
        double BloodFraction(double z)
        {
            CtVolume slice = PhantomProbe.Slice(generator, 8, z, 4.0, 111);
            var near = new List<float>();
            for (int dy = -30; dy <= 30; dy += 4)
            {
                for (int dx = -30; dx <= 30; dx += 4)
                {
                    near.Add(PhantomProbe.At(slice, m.HeartCenter.XMm + dx, m.HeartCenter.YMm + dy));
                }
            }
            return near.Count(v => Math.Abs(v - Quick.Tissue.Blood) < 1) / (double)near.Count;
        }
        Assert.True(LungVoxels(m.CarinaZMm - 30) > 3 * LungVoxels(m.LungApexZMm - 10));
        Assert.True(BloodFraction(m.HeartCenter.ZMm) > 0.9);
        Assert.True(BloodFraction(m.CarinaZMm + 40) < 0.5);
    }

    [Fact]
    public void Each_nodule_centre_has_its_recorded_density_inside_aerated_lung()
    {
        // Point sampling (no supersampling): a voxel centre within the nodule reads its value exactly.
        var options = Quick with { NoduleCountMin = 4, NoduleCountMax = 4, PartSolidProbability = 0.3, GroundGlassProbability = 0.3, Supersample = 1 };
        var generator = new ChestPhantom(options);
        var types = new HashSet<NoduleType>();
        foreach (int seed in new[] { 11, 12 })
        {
            PhantomFindings findings = generator.Findings(seed);
            Assert.NotEmpty(findings.Nodules);
            foreach (NoduleFinding n in findings.Nodules)
            {
                types.Add(n.Type);
                Assert.InRange(n.DiameterMm, options.NoduleDiameterMinMm, options.NoduleDiameterMaxMm);
                Assert.Equal(n.Side == BodySide.Left, n.Center.XMm > 0);
                CtVolume slice = PhantomProbe.Slice(generator, seed, n.Center.ZMm);
                Assert.Equal(n.CenterDensityHu, PhantomProbe.At(slice, n.Center.XMm, n.Center.YMm), 0.5);
                // Just outside the nodule: aerated lung all round (a crossing vessel may take one or two probes).
                double r = n.DiameterMm / 2 + 1.2;
                var ring = Enumerable.Range(0, 12)
                    .Select(k => PhantomProbe.At(slice, n.Center.XMm + r * Math.Cos(k * Math.PI / 6), n.Center.YMm + r * Math.Sin(k * Math.PI / 6)))
                    .Order().ToArray();
                Assert.True(ring[6] < -600, $"nodule {n.Id} ring median {ring[6]} HU is not lung");
                Assert.Equal(n.Side == BodySide.Right, n.Lobe is LungLobe.RightUpper or LungLobe.RightMiddle or LungLobe.RightLower);
                if (n.Type == NoduleType.PartSolid)
                {
                    Assert.NotNull(n.SolidComponentDiameterMm);
                    Assert.True(n.SolidComponentDiameterMm < n.DiameterMm);
                    // Between core and rim: the ground-glass component.
                    double mid = (n.DiameterMm + n.SolidComponentDiameterMm!.Value) / 4;
                    Assert.Equal(n.DensityHu, PhantomProbe.At(slice, n.Center.XMm + mid, n.Center.YMm), 0.5);
                }
                else
                {
                    Assert.Null(n.SolidComponentDiameterMm);
                }
            }
        }
        Assert.True(types.Count >= 2, "the seeds should show more than one nodule type");
    }

    [Fact]
    public void Pleural_effusion_is_fluid_posterior_in_the_recorded_side()
    {
        var options = Quick with { EffusionProbability = 1, EffusionDepthMinMm = 40, EffusionDepthMaxMm = 40, Supersample = 1 };
        var generator = new ChestPhantom(options);
        const int seed = 21;
        PhantomFindings findings = generator.Findings(seed);
        PleuralEffusionFinding effusion = Assert.Single(findings.PleuralEffusions);
        Assert.True(effusion.VolumeMl > 0);
        Assert.InRange(effusion.MaxDepthMm, 20, 41);
        ChestLandmarks m = findings.Chest!;
        double dome = effusion.Side == BodySide.Right ? m.RightDiaphragmDomeZMm : m.LeftDiaphragmDomeZMm;
        Assert.True(effusion.TopZMm > dome);

        CtVolume slice = PhantomProbe.Slice(generator, seed, dome + 5, 2.0, 211);
        VolumeGrid g = slice.Grid;
        var fluid = new List<(double X, double Y)>();
        var lung = new List<(double X, double Y)>();
        for (int j = 0; j < g.Ny; j++)
        {
            for (int i = 0; i < g.Nx; i++)
            {
                float v = slice.Values[j * g.Nx + i];
                (double x, double y) = (g.XMm(i), g.YMm(j));
                bool sameSide = effusion.Side == BodySide.Right ? x < 0 : x > 0;
                if (v == (float)options.EffusionHu)
                {
                    fluid.Add((x, y));
                }
                else if (sameSide && v is > -950 and < -700 && Math.Abs(y) < m.BodyDepthMm / 2)
                {
                    lung.Add((x, y));
                }
            }
        }
        Assert.True(fluid.Count > 20, $"only {fluid.Count} fluid voxels at z = {dome + 5}");
        Assert.All(fluid, p => Assert.True(effusion.Side == BodySide.Right ? p.X < 0 : p.X > 0));
        Assert.True(fluid.Average(p => p.Y) > lung.Average(p => p.Y) + 20, "fluid is dependent (posterior, +y)");
        Assert.True(fluid.Min(p => p.Y) > lung.Min(p => p.Y), "no fluid in the anterior lung");
    }

    [Fact]
    public void Emphysema_regions_are_low_attenuation_lung_where_recorded()
    {
        var options = Quick with { EmphysemaProbability = 1, EmphysemaRegionCountMax = 2 };
        var generator = new ChestPhantom(options);
        const int seed = 31;
        PhantomFindings findings = generator.Findings(seed);
        Assert.NotEmpty(findings.Emphysema);
        foreach (EmphysemaFinding e in findings.Emphysema)
        {
            Assert.True(e.VolumeMl > 0);
            Assert.Equal(e.Side == BodySide.Left, e.Center.XMm > 0);
            CtVolume slice = PhantomProbe.Slice(generator, seed, e.Center.ZMm);
            Assert.Equal(e.DensityHu, PhantomProbe.MedianAround(slice, e.Center.XMm, e.Center.YMm), 10.0);
        }
    }

    [Fact]
    public void Findings_do_not_depend_on_the_grid()
    {
        var generator = new ChestPhantom(Quick);
        PhantomFindings onSmall = generator.Generate(Small, 9).Findings;
        PhantomFindings onOther = generator.Generate(new VolumeGrid(33, 35, 1, 11.0, 1.0, 7.3), 9).Findings;
        Assert.Equal(onSmall, onOther);
        Assert.Equal(generator.Findings(9), onSmall);
    }

    [Fact]
    public void Odd_sized_grids_sample_the_same_continuous_anatomy()
    {
        var generator = new ChestPhantom(Quick with { Supersample = 1 });
        ChestLandmarks m = generator.Findings(4).Chest!;
        // Grids of different odd sizes and spacings put a voxel centre on x = 0: the vertebral body there reads the same.
        CtVolume a = generator.Generate(new VolumeGrid(37, 41, 3, 9.0, 7.0, m.VertebralBodyCenter.ZMm - 7), 4).Hounsfield;
        CtVolume b = generator.Generate(new VolumeGrid(101, 99, 1, 3.0, 1.0, m.VertebralBodyCenter.ZMm), 4).Hounsfield;
        Assert.Equal(37 * 41 * 3, a.Values.Length);
        Assert.All(a.Values, v => Assert.True(float.IsFinite(v)));
        // Points on both lattices (multiples of 9 mm) read identically.
        double y = 9 * Math.Round(m.VertebralBodyCenter.YMm / 9);
        for (double x = -36; x <= 36; x += 9)
        {
            Assert.Equal(PhantomProbe.At(b, x, y), PhantomProbe.At(a, x, y, k: 1));
        }
        Assert.Equal(Quick.Tissue.CancellousBone, PhantomProbe.At(a, 0, y, k: 1), 1.0);
    }

    [Fact]
    public void Supersampling_blends_edges_between_tissue_values()
    {
        var generator = new ChestPhantom(Quick);
        ChestLandmarks m = generator.Findings(6).Chest!;
        CtVolume slice = PhantomProbe.Slice(generator, 6, m.HeartCenter.ZMm, 2.0, 211);
        // Along the skin surface some voxels are partly air: strictly between air and soft tissue.
        Assert.Contains(slice.Values, v => v > -990 && v < -200);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => new ChestPhantom(new ChestPhantomOptions { NoduleCountMin = 3, NoduleCountMax = 1 }));
        Assert.Contains("Nodule count", e.Message);
        Assert.Throws<ArgumentException>(() => new ChestPhantom(new ChestPhantomOptions { EffusionProbability = 1.5 }));
        Assert.Throws<ArgumentException>(() => new ChestPhantom(new ChestPhantomOptions { Supersample = 0 }));
        Assert.Throws<ArgumentException>(() => new ChestPhantom(new ChestPhantomOptions { Tissue = new ChestTissueHu { CorticalBone = 5000 } }));
        Assert.Throws<ArgumentException>(() => new ChestPhantom(Quick).Generate(new VolumeGrid(0, 10, 1, 1, 1, 0), 1));
    }
}
