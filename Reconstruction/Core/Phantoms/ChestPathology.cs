namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The random findings of one chest case, placed inside the anatomy they belong to and measured on the shapes as
/// drawn: a pleural effusion (drawn first, since it displaces lung), emphysema regions in aerated lung (mostly
/// upper zones), then nodules wholly inside aerated lung, apart from each other.
/// </summary>
internal sealed class ChestPathology
{
    private const double LatticeMm = 2.0;

    private ChestPathology()
    {
    }

    public List<EffusionShape> Effusions { get; } = [];

    public List<EmphysemaRegion> EmphysemaRegions { get; } = [];

    public List<PleuralEffusionFinding> EffusionFindings { get; } = [];

    public List<EmphysemaFinding> EmphysemaFindings { get; } = [];

    public List<NoduleFinding> Nodules { get; } = [];

    public static ChestPathology Create(ChestAnatomy anatomy)
    {
        ChestPhantomOptions o = anatomy.Options;
        Random effusionRng = SeedStreams.Create(anatomy.Seed, 10);
        Random emphysemaRng = SeedStreams.Create(anatomy.Seed, 11);
        Random noduleRng = SeedStreams.Create(anatomy.Seed, 12);
        var p = new ChestPathology();
        p.AddEffusion(anatomy, effusionRng, o);
        p.AddEmphysema(anatomy, emphysemaRng, o);
        p.AddNodules(anatomy, noduleRng, o);
        return p;
    }

    private static BodySide RandomSide(Random rng) => rng.Next(2) == 0 ? BodySide.Right : BodySide.Left;

    private static ChestRegion LungOf(BodySide side) => side == BodySide.Right ? ChestRegion.RightLung : ChestRegion.LeftLung;

    private void AddEffusion(ChestAnatomy a, Random rng, ChestPhantomOptions o)
    {
        if (rng.NextDouble() >= o.EffusionProbability)
        {
            return;
        }
        BodySide side = RandomSide(rng);
        double depth = ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, o.EffusionDepthMinMm, o.EffusionDepthMaxMm));
        double dome = side == BodySide.Right ? a.RightDomeZMm : a.LeftDomeZMm;
        double top = ImplicitShapes.Round1(dome + ImplicitShapes.Uniform(rng, 60, 120));
        var shape = new EffusionShape(side, depth, top, dome, (float)o.EffusionHu);
        Effusions.Add(shape);

        // Measure on the drawn shape: fluid thickness along y per (x, z) column, and volume on the same lattice.
        const double StepY = 0.5;
        double sign = side == BodySide.Right ? -1 : 1;
        double maxDepth = 0;
        long cells = 0;
        for (double z = a.RecessZMm + LatticeMm / 2; z < top; z += LatticeMm)
        {
            var section = new ChestSection(a, this, z);
            // The section's cavity may be a little smaller than nominal at this z: start below its level.
            double level = a.CavityPosteriorMm - shape.DepthAtMm(z) - 10;
            for (double x = LatticeMm / 2; x < a.HalfWidthMm; x += LatticeMm)
            {
                int column = 0;
                for (double y = level; y < a.HalfDepthMm; y += StepY)
                {
                    if (section.Region(sign * x, y) == ChestRegion.Effusion)
                    {
                        column++;
                    }
                }
                cells += column;
                maxDepth = Math.Max(maxDepth, column * StepY);
            }
        }
        double volumeMl = cells * LatticeMm * LatticeMm * StepY / 1000.0;
        if (cells == 0)
        {
            Effusions.Clear();
            return;
        }
        EffusionFindings.Add(new PleuralEffusionFinding("P1", side, maxDepth, ImplicitShapes.Round1(volumeMl), o.EffusionHu, top));
    }

    private void AddEmphysema(ChestAnatomy a, Random rng, ChestPhantomOptions o)
    {
        if (rng.NextDouble() >= o.EmphysemaProbability)
        {
            return;
        }
        int count = rng.Next(1, o.EmphysemaRegionCountMax + 1);
        for (int i = 0; i < count; i++)
        {
            BodySide side = RandomSide(rng);
            double sx = ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, 12, 30));
            double sy = ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, 12, 30));
            double sz = ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, 12, 30));
            double sign = side == BodySide.Right ? -1 : 1;
            for (int attempt = 0; attempt < 300; attempt++)
            {
                // Centrilobular emphysema favours the upper zones.
                var center = new Vector3Mm(
                    ImplicitShapes.Round1(sign * ImplicitShapes.Uniform(rng, 0.15, 0.95) * a.CavityHalfWidthMm),
                    ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, -0.8 * a.CavityAnteriorMm, 0.8 * a.CavityPosteriorMm)),
                    ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, a.RecessZMm + 0.45 * a.LungHeightMm, a.ApexZMm - 15)));
                Vector3Mm[] probes =
                [
                    center,
                    center + new Vector3Mm(0.5 * sx, 0, 0), center + new Vector3Mm(-0.5 * sx, 0, 0),
                    center + new Vector3Mm(0, 0.5 * sy, 0), center + new Vector3Mm(0, -0.5 * sy, 0),
                    center + new Vector3Mm(0, 0, 0.5 * sz), center + new Vector3Mm(0, 0, -0.5 * sz),
                ];
                if (!probes.All(q => new ChestSection(a, this, q.Z).Region(q.X, q.Y) == LungOf(side)))
                {
                    continue;
                }
                var region = new EmphysemaRegion(side, center, sx, sy, sz, (float)o.EmphysemaHu);
                EmphysemaRegions.Add(region);
                double volume = MeasureInLung(a, side, center, sx, sy, sz, region.Radius2);
                EmphysemaFindings.Add(new EmphysemaFinding($"E{EmphysemaFindings.Count + 1}", side,
                    a.LobeAt(side, center.Y, center.Z), center.ToPoint(), sx, sy, sz, o.EmphysemaHu, ImplicitShapes.Round1(volume)));
                break;
            }
        }
    }

    /// <summary>Volume (mL) of the lung of <paramref name="side"/> inside a shape (radius² ≤ 1), on a 2 mm lattice.</summary>
    private double MeasureInLung(ChestAnatomy a, BodySide side, Vector3Mm c, double sx, double sy, double sz,
        Func<double, double, double, double> radius2)
    {
        long cells = 0;
        for (double z = c.Z - sz + LatticeMm / 2; z < c.Z + sz; z += LatticeMm)
        {
            var section = new ChestSection(a, this, z);
            for (double y = c.Y - sy + LatticeMm / 2; y < c.Y + sy; y += LatticeMm)
            {
                for (double x = c.X - sx + LatticeMm / 2; x < c.X + sx; x += LatticeMm)
                {
                    if (radius2(x, y, z) <= 1 && section.Region(x, y) == LungOf(side))
                    {
                        cells++;
                    }
                }
            }
        }
        return cells * LatticeMm * LatticeMm * LatticeMm / 1000.0;
    }

    private void AddNodules(ChestAnatomy a, Random rng, ChestPhantomOptions o)
    {
        const double ClearanceMm = 1.5, SeparationMm = 4.0, PartSolidMinDiameterMm = 10.0;
        int count = rng.Next(o.NoduleCountMin, o.NoduleCountMax + 1);
        for (int i = 0; i < count; i++)
        {
            double u = rng.NextDouble();
            NoduleType type = u < o.PartSolidProbability ? NoduleType.PartSolid
                : u < o.PartSolidProbability + o.GroundGlassProbability ? NoduleType.GroundGlass
                : NoduleType.Solid;
            if (type == NoduleType.PartSolid && o.NoduleDiameterMaxMm < PartSolidMinDiameterMm)
            {
                type = NoduleType.Solid;
            }
            double minD = type == NoduleType.PartSolid ? Math.Max(o.NoduleDiameterMinMm, PartSolidMinDiameterMm) : o.NoduleDiameterMinMm;
            double diameter = ImplicitShapes.Round1(ImplicitShapes.LogUniform(rng, minD, o.NoduleDiameterMaxMm));
            double density;
            double? coreDiameter = null, coreDensity = null;
            switch (type)
            {
                case NoduleType.Solid:
                    density = Math.Round(ImplicitShapes.Uniform(rng, 20, 50));
                    break;
                case NoduleType.GroundGlass:
                    density = Math.Round(ImplicitShapes.Uniform(rng, -650, -450));
                    break;
                default:
                    density = Math.Round(ImplicitShapes.Uniform(rng, -600, -450));
                    coreDensity = Math.Round(ImplicitShapes.Uniform(rng, 10, 40));
                    coreDiameter = ImplicitShapes.Round1(diameter * ImplicitShapes.Uniform(rng, 0.4, 0.6));
                    break;
            }
            double radius = diameter / 2;
            for (int attempt = 0; attempt < 500; attempt++)
            {
                BodySide side = RandomSide(rng);
                double sign = side == BodySide.Right ? -1 : 1;
                var center = new Vector3Mm(
                    ImplicitShapes.Round1(sign * rng.NextDouble() * a.CavityHalfWidthMm),
                    ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, -a.CavityAnteriorMm, a.CavityPosteriorMm)),
                    ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, a.RecessZMm + 10, a.ApexZMm - 10)));
                if (Nodules.Any(n => (new Vector3Mm(n.Center.XMm, n.Center.YMm, n.Center.ZMm) - center).Length
                        < radius + n.DiameterMm / 2 + SeparationMm))
                {
                    continue;
                }
                if (!InsideLung(a, side, center, radius + ClearanceMm))
                {
                    continue;
                }
                Nodules.Add(new NoduleFinding($"N{Nodules.Count + 1}", center.ToPoint(), diameter, density, type, side,
                    a.LobeAt(side, center.Y, center.Z), coreDiameter, coreDensity));
                break;
            }
        }
    }

    /// <summary>True when the centre and 26 points on the sphere of <paramref name="radiusMm"/> are aerated lung of that side.</summary>
    public bool InsideLung(ChestAnatomy a, BodySide side, Vector3Mm center, double radiusMm)
    {
        if (new ChestSection(a, this, center.Z).Region(center.X, center.Y) != LungOf(side))
        {
            return false;
        }
        foreach (Vector3Mm d in ImplicitShapes.SphereProbeDirections)
        {
            Vector3Mm q = center + radiusMm * d;
            if (new ChestSection(a, this, q.Z).Region(q.X, q.Y) != LungOf(side))
            {
                return false;
            }
        }
        return true;
    }
}
