using FedNano.FederatedMLLM.Radiology;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Samples.RadiologyQaTraining;

/// <summary>
/// Axial slice stacks of P3 chest phantoms with the findings a reader could see in them. A stack is rejected when a
/// finding is only grazed (a nodule cut far from its centre, the edge of an emphysema region or of the fluid), so
/// every label is unambiguous.
/// </summary>
public sealed class PhantomSlices(CtInputSpec spec, double noiseHu)
{
    private readonly ChestPhantom _phantom = new();

    /// <summary>Stacks of case <paramref name="seed"/>: one through each finding and <paramref name="extra"/> at random levels.</summary>
    public IEnumerable<(float[] Pixels, SliceFindings Findings, double ZMm)> Stacks(int seed, int extra, Random random)
    {
        foreach (var (z, findings) in Levels(seed, extra, random).ToList())
            yield return (Render(seed, z, random), findings, z);
    }

    /// <summary>The stack centres of case <paramref name="seed"/> whose findings are unambiguous, with what each shows.</summary>
    public IEnumerable<(double ZMm, SliceFindings Findings)> Levels(int seed, int extra, Random random)
    {
        var truth = _phantom.Findings(seed);
        var chest = truth.Chest!;
        var levels = new List<double>();
        levels.AddRange(truth.Nodules.Select(n => n.Center.ZMm));
        levels.AddRange(truth.Emphysema.Select(e => e.Center.ZMm));
        levels.AddRange(truth.PleuralEffusions.Select(e => Math.Max(chest.LungBaseZMm + 15, e.TopZMm - 25)));
        double low = chest.LungBaseZMm + 10, high = chest.LungApexZMm - 10;
        for (int i = 0; i < extra; i++) levels.Add(low + random.NextDouble() * (high - low));
        foreach (var z in levels.Distinct())
        {
            if (Visible(truth, z) is not { } findings) continue;
            yield return (z, findings);
        }
    }

    /// <summary>What the stack centred at <paramref name="z"/> shows, or null when a finding is only grazed.</summary>
    public static SliceFindings? Visible(PhantomFindings truth, double z)
    {
        var nodules = new List<Nodule>();
        foreach (var n in truth.Nodules)
        {
            double r = n.DiameterMm / 2, dz = Math.Abs(z - n.Center.ZMm);
            if (dz <= 0.5 * r) nodules.Add(new Nodule(Side(n.Side), Lobe(n.Lobe), n.DiameterMm, Type(n.Type)));
            else if (dz < r + 6) return null;
        }
        var emphysema = new List<FedNano.FederatedMLLM.Radiology.Side>();
        foreach (var e in truth.Emphysema)
        {
            double dz = Math.Abs(z - e.Center.ZMm);
            if (dz <= 0.6 * e.SemiAxisZMm) emphysema.Add(Side(e.Side));
            else if (dz < e.SemiAxisZMm + 6) return null;
        }
        var effusions = new List<Effusion>();
        foreach (var p in truth.PleuralEffusions)
        {
            if (z <= p.TopZMm - 20) effusions.Add(new Effusion(Side(p.Side), p.MaxDepthMm));
            else if (z < p.TopZMm + 6) return null;
        }
        return new SliceFindings(nodules, emphysema.Distinct().ToList(), effusions);
    }

    /// <summary>The stack's grid: the spec's planes centred at <paramref name="z"/>, its field of view centred on the axis.</summary>
    public VolumeGrid Grid(double z) =>
        new(spec.ImageSize, spec.ImageSize, spec.Slices, spec.FieldOfViewMm / spec.ImageSize, spec.SliceSpacingMm, z - spec.SliceSpacingMm * (spec.Slices - 1) / 2);

    /// <summary>The stack centred at <paramref name="z"/> as a reconstruction would give it: HU with Gaussian noise of σ = noiseHu.</summary>
    public CtVolume Hounsfield(int seed, double z, Random random)
    {
        var volume = _phantom.Generate(Grid(z), seed).Hounsfield;
        var hu = volume.Values;
        for (int i = 0; i < hu.Length; i++)
            hu[i] += (float)(noiseHu * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return volume;
    }

    private float[] Render(int seed, double z, Random random)
    {
        var hu = _phantom.Generate(Grid(z), seed).Hounsfield.Values;
        var window = spec.Window;
        var pixels = new float[hu.Length];
        for (int i = 0; i < hu.Length; i++)
        {
            // Image noise of a reconstruction (Gaussian, σ = noiseHu), drawn by Box–Muller.
            double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            pixels[i] = window.Apply(hu[i] + noiseHu * g);
        }
        return pixels;
    }

    private static FedNano.FederatedMLLM.Radiology.Side Side(BodySide side) => side == BodySide.Right ? FedNano.FederatedMLLM.Radiology.Side.Right : FedNano.FederatedMLLM.Radiology.Side.Left;

    private static string Lobe(LungLobe lobe) => lobe switch
    {
        LungLobe.RightUpper or LungLobe.LeftUpper => "upper",
        LungLobe.RightMiddle => "middle",
        _ => "lower",
    };

    private static string Type(NoduleType type) => type switch
    {
        NoduleType.PartSolid => "part-solid",
        NoduleType.GroundGlass => "ground-glass",
        _ => "solid",
    };
}
