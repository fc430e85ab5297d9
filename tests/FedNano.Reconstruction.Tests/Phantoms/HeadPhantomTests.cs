using System.Runtime.InteropServices;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Phantoms;

public class HeadPhantomTests
{
    private static readonly VolumeGrid Small = new(64, 72, 8, 3.5, 30.0, -100.0);

    [Fact]
    public void Same_seed_gives_bit_identical_volumes_and_different_seeds_differ()
    {
        var generator = new HeadPhantom();
        PhantomCase a = generator.Generate(Small, 7);
        PhantomCase b = generator.Generate(Small, 7);
        PhantomCase c = generator.Generate(Small, 8);
        Assert.True(MemoryMarshal.AsBytes(a.Hounsfield.Values.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.Hounsfield.Values.AsSpan())));
        Assert.Equal(a.Findings, b.Findings);
        Assert.False(a.Hounsfield.Values.AsSpan().SequenceEqual(c.Hounsfield.Values));
        Assert.NotEqual(a.Findings.Head, c.Findings.Head);
    }

    [Fact]
    public void Values_stay_below_3000_hu_with_enamel_the_densest_tissue()
    {
        var options = new HeadPhantomOptions { FillingProbability = 0, Supersample = 1 };
        var generator = new HeadPhantom(options);
        HeadLandmarks m = generator.Findings(2).Head!;
        // A slice just inside the upper crowns: enamel is present and nothing is denser.
        CtVolume teeth = PhantomProbe.Slice(generator, 2, m.OcclusalPlaneZMm + 1.0, 0.5, 401);
        Assert.Equal((float)options.Tissue.Enamel, teeth.Values.Max());
        CtVolume head = generator.Generate(Small, 2).Hounsfield;
        Assert.All(head.Values, v => Assert.InRange(v, -1000f, 2999f));
    }

    [Fact]
    public void Landmarks_hold_the_tissues_they_name()
    {
        var generator = new HeadPhantom(new HeadPhantomOptions { Supersample = 1 });
        const int seed = 4;
        HeadLandmarks m = generator.Findings(seed).Head!;
        HeadTissueHu t = generator.Options.Tissue;
        (PointMm Point, double Hu)[] expected =
        [
            (m.BrainPoint, t.WhiteMatter), (m.VentriclePoint, t.Csf), (m.RightEyeCenter, t.Vitreous),
            (m.LeftEyeCenter, t.Vitreous), (m.MolarDentinPoint, t.Dentin),
        ];
        foreach ((PointMm p, double hu) in expected)
        {
            CtVolume slice = PhantomProbe.Slice(generator, seed, p.ZMm, 1.0, 241);
            Assert.Equal(hu, PhantomProbe.At(slice, p.XMm, p.YMm), 1.0);
            Assert.Equal(t.Air, PhantomProbe.At(slice, 118, 118), 1.0);
        }
        Assert.True(m.RightEyeCenter.XMm < 0 && m.LeftEyeCenter.XMm > 0);
        Assert.True(m.VertexZMm > 100 && m.ChinZMm < -85 && m.OcclusalPlaneZMm < 0);
    }

    [Fact]
    public void Brain_lesion_and_filling_are_drawn_where_recorded()
    {
        var options = new HeadPhantomOptions { LesionProbability = 1, FillingProbability = 1, Supersample = 1 };
        var generator = new HeadPhantom(options);
        foreach (int seed in new[] { 1, 2 })
        {
            PhantomFindings findings = generator.Findings(seed);
            BrainLesionFinding lesion = Assert.Single(findings.BrainLesions);
            DentalFillingFinding filling = Assert.Single(findings.DentalFillings);
            Assert.Equal(lesion.Side == BodySide.Left, lesion.Center.XMm > 0);
            Assert.Equal(lesion.Type == BrainLesionType.Hyperdense, lesion.DensityHu > options.Tissue.GreyMatter);

            CtVolume brain = PhantomProbe.Slice(generator, seed, lesion.Center.ZMm, 1.0, 241);
            Assert.Equal(lesion.DensityHu, PhantomProbe.At(brain, lesion.Center.XMm, lesion.Center.YMm), 0.5);
            // Just outside it: brain parenchyma (grey or white matter) all round.
            double r = lesion.DiameterMm / 2 + 1.5;
            for (int k = 0; k < 8; k++)
            {
                float v = PhantomProbe.At(brain, lesion.Center.XMm + r * Math.Cos(k * Math.PI / 4), lesion.Center.YMm + r * Math.Sin(k * Math.PI / 4));
                Assert.InRange(v, (float)options.Tissue.WhiteMatter - 1, (float)options.Tissue.GreyMatter + 1);
            }

            Assert.InRange(filling.ToothFdi % 10, 4, 7);
            Assert.InRange(filling.ToothFdi / 10, 1, 4);
            CtVolume teeth = PhantomProbe.Slice(generator, seed, filling.Center.ZMm, 0.5, 401);
            Assert.Equal(filling.DensityHu, PhantomProbe.At(teeth, filling.Center.XMm, filling.Center.YMm), 0.5);
            // Beside the filling, still inside the crown: dentin or enamel.
            float beside = PhantomProbe.At(teeth, filling.Center.XMm + filling.WidthMm / 2 + 0.6, filling.Center.YMm);
            Assert.True(beside == (float)options.Tissue.Dentin || beside == (float)options.Tissue.Enamel, $"beside the filling: {beside} HU");
        }
    }

    [Fact]
    public void Findings_do_not_depend_on_the_grid()
    {
        var generator = new HeadPhantom();
        Assert.Equal(generator.Generate(Small, 3).Findings, generator.Generate(new VolumeGrid(31, 29, 1, 9.0, 1.0, 0.5), 3).Findings);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new HeadPhantom(new HeadPhantomOptions { FillingHu = 3200 }));
        Assert.Throws<ArgumentException>(() => new HeadPhantom(new HeadPhantomOptions { ScaleMin = 1.2, ScaleMax = 1.0 }));
        Assert.Throws<ArgumentException>(() => new HeadPhantom(new HeadPhantomOptions { Tissue = new HeadTissueHu { Enamel = 3100 } }));
    }
}
