namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The random anatomy of one head phantom case, laid out in a reference frame (an adult head, skull 140 × 180 mm,
/// vertex near z = +117 mm, chin near z = −102 mm) that the case's scale maps to mm: a point p in mm is the
/// reference point p / <see cref="Scale"/>. Findings are chosen in mm (rounded) and drawn from those values.
/// </summary>
internal sealed class HeadAnatomy
{
    public const double OcclusalZ = -60;
    public const double ScalpMm = 5;

    private static readonly double[] UpperMesioDistal = [8.5, 6.5, 7.5, 7.0, 6.5, 10.0, 9.0, 8.5];
    private static readonly double[] UpperBuccoLingual = [7.0, 6.0, 8.0, 9.0, 9.0, 11.0, 11.0, 10.0];
    private static readonly double[] UpperCrown = [10.5, 9.0, 10.0, 8.0, 7.5, 7.0, 6.5, 6.0];
    private static readonly double[] UpperRoot = [13, 13, 17, 14, 14, 13, 12, 11];
    private static readonly double[] LowerMesioDistal = [5.0, 5.5, 7.0, 7.0, 7.0, 11.0, 10.5, 10.0];
    private static readonly double[] LowerBuccoLingual = [6.0, 6.0, 7.0, 7.5, 8.0, 10.5, 10.0, 9.5];
    private static readonly double[] LowerCrown = [9.0, 9.0, 10.0, 8.0, 7.5, 7.0, 6.5, 6.0];
    private static readonly double[] LowerRoot = [12.5, 14, 16, 14, 14, 14, 13, 11];

    // Face outline by z: half-width, anterior y, posterior y (reference mm).
    private static readonly (double Z, double HalfWidth, double Anterior, double Posterior)[] FaceTable =
    [
        (15, 72, -86, 100), (0, 70, -92, 95), (-30, 68, -96, 85), (-60, 62, -90, 76),
        (-85, 55, -86, 70), (-100, 50, -70, 66), (-112, 46, -48, 62), (-400, 46, -45, 62),
    ];

    public HeadAnatomy(int seed, HeadPhantomOptions options)
    {
        Options = options;
        Tissue = options.Tissue;
        Random layoutRng = SeedStreams.Create(seed, 1);
        Random teethRng = SeedStreams.Create(seed, 2);
        Random lesionRng = SeedStreams.Create(seed, 3);
        Random fillingRng = SeedStreams.Create(seed, 4);

        Scale = ImplicitShapes.Uniform(layoutRng, options.ScaleMin, options.ScaleMax);
        SkullThicknessMm = ImplicitShapes.Uniform(layoutRng, options.SkullThicknessMinMm, options.SkullThicknessMaxMm);
        SkullOuter = new OrientedEllipsoid(0, 8, 30, 70, 90, 82);
        SkullInner = SkullOuter.Grown(-SkullThicknessMm);
        ScalpOuter = SkullOuter.Grown(ScalpMm);

        var right = new[]
        {
            new OrientedEllipsoid(-11, -4, 34, 5.5, 26, 8, 15 * Math.PI / 180),
        };
        Ventricles =
        [
            right[0], right[0].MirroredX(),
            new OrientedEllipsoid(0, 4, 18, 2.2, 14, 8),
            new OrientedEllipsoid(0, 40, -20, 6, 4, 6),
        ];
        var deepGrey = new OrientedEllipsoid(-15, 2, 20, 9, 16, 9);
        DeepGrey = [deepGrey, deepGrey.MirroredX()];
        var globe = new OrientedEllipsoid(-32, -64, 4, 12, 12, 12);
        Globes = [globe, globe.MirroredX()];
        var lens = new OrientedEllipsoid(-32, -74.5, 4, 4.5, 1.8, 4.5);
        Lenses = [lens, lens.MirroredX()];
        // Orbits: cones of fat from the apex (optic canal) forward around the globe, in thin bony walls.
        float orbitalFat = (float)Tissue.OrbitalFat, thinBone = (float)Tissue.ThinBone;
        var orbits = new List<TubeSegment>();
        var orbitWalls = new List<TubeSegment>();
        foreach (double sign in new[] { -1.0, 1.0 })
        {
            var cone = new TubeSegment(new Vector3Mm(sign * 13, -24, 5), new Vector3Mm(sign * 33, -70, 4), 3, 17, orbitalFat);
            orbits.Add(cone);
            orbitWalls.Add(cone.Widened(2, thinBone));
        }
        OrbitalFat = orbits;
        OrbitWalls = orbitWalls;
        var petrous = new OrientedEllipsoid(-33, 12, -12, 7, 24, 6, 37 * Math.PI / 180);
        Petrous = [petrous, petrous.MirroredX()];
        var mastoid = new OrientedEllipsoid(-50, 25, -25, 9, 11, 11);
        Mastoids = [mastoid, mastoid.MirroredX()];
        var maxillary = new OrientedEllipsoid(-30, -48, -20, 15, 17, 16);
        AirSinuses = [maxillary, maxillary.MirroredX(), new OrientedEllipsoid(0, -22, -2, 11, 10, 9)];
        Ethmoid = new OrientedEllipsoid(0, -55, 6, 10, 15, 10);
        NasalCavity = new OrientedEllipsoid(0, -62, -12, 12, 28, 22);
        var turbinateHigh = new OrientedEllipsoid(-8, -60, -8, 3.5, 22, 4);
        var turbinateLow = new OrientedEllipsoid(-8, -60, -22, 3.5, 24, 5);
        Turbinates = [turbinateHigh, turbinateHigh.MirroredX(), turbinateLow, turbinateLow.MirroredX()];
        Nasopharynx = new OrientedEllipsoid(0, -20, -30, 12, 12, 9);
        Tongue = new OrientedEllipsoid(0, -38, -73, 22, 27, 12);
        OralAir = new OrientedEllipsoid(0, -42, -56, 17, 20, 3.5);
        var condyle = new OrientedEllipsoid(-48, 10, -28, 9, 5, 5);
        Condyles = [condyle, condyle.MirroredX()];
        Dens = new OrientedEllipsoid(0, 22, -33, 5, 5, 9);

        float cortical = (float)Tissue.CorticalBone, air = (float)Tissue.Air, nerve = (float)Tissue.WhiteMatter;
        var bones = new List<TubeSegment>();
        var soft = new List<TubeSegment>();
        foreach (double sign in new[] { -1.0, 1.0 })
        {
            bones.AddRange(TubeSegment.Polyline(cortical,
                (new Vector3Mm(sign * 50, -60, -8), 4.5), (new Vector3Mm(sign * 63, -30, -12), 4.5), (new Vector3Mm(sign * 62, 0, -12), 4.5)));
            soft.Add(new TubeSegment(new Vector3Mm(sign * 31, -54, 4), new Vector3Mm(sign * 12, -22, 6), 2.5, 2.5, nerve));
        }
        ZygomaticArches = bones;
        OpticNerves = soft;
        Oropharynx = [.. TubeSegment.Polyline(air,
            (new Vector3Mm(0, -8, -35), 7), (new Vector3Mm(0, 0, -70), 7), (new Vector3Mm(0, 6, -400), 7))];

        UpperArch = new DentalArch(-70, 0.045, 38);
        LowerArch = new DentalArch(-67, 0.048, 38);
        MandibleArch = new DentalArch(-67, 0.048, 32, (46, 2));
        Teeth = BuildTeeth(teethRng, options);
        Lesion = PlaceLesion(lesionRng, options);
        Filling = PlaceFilling(fillingRng, options);
    }

    public HeadPhantomOptions Options { get; }

    public HeadTissueHu Tissue { get; }

    /// <summary>mm per reference mm.</summary>
    public double Scale { get; }

    public double SkullThicknessMm { get; }

    public OrientedEllipsoid SkullOuter { get; }

    public OrientedEllipsoid SkullInner { get; }

    public OrientedEllipsoid ScalpOuter { get; }

    public OrientedEllipsoid[] Ventricles { get; }

    public OrientedEllipsoid[] DeepGrey { get; }

    public OrientedEllipsoid[] Globes { get; }

    public OrientedEllipsoid[] Lenses { get; }

    public IReadOnlyList<TubeSegment> OrbitalFat { get; }

    public IReadOnlyList<TubeSegment> OrbitWalls { get; }

    public OrientedEllipsoid[] Petrous { get; }

    public OrientedEllipsoid[] Mastoids { get; }

    /// <summary>Maxillary and sphenoid sinuses (air in thin bony walls).</summary>
    public OrientedEllipsoid[] AirSinuses { get; }

    public OrientedEllipsoid Ethmoid { get; }

    public OrientedEllipsoid NasalCavity { get; }

    public OrientedEllipsoid[] Turbinates { get; }

    public OrientedEllipsoid Nasopharynx { get; }

    public OrientedEllipsoid Tongue { get; }

    public OrientedEllipsoid OralAir { get; }

    public OrientedEllipsoid[] Condyles { get; }

    public OrientedEllipsoid Dens { get; }

    public IReadOnlyList<TubeSegment> ZygomaticArches { get; }

    public IReadOnlyList<TubeSegment> OpticNerves { get; }

    public IReadOnlyList<TubeSegment> Oropharynx { get; }

    public DentalArch UpperArch { get; }

    public DentalArch LowerArch { get; }

    public DentalArch MandibleArch { get; }

    public IReadOnlyList<HeadTooth> Teeth { get; }

    /// <summary>The brain lesion (in mm, as recorded) and its reference-frame sphere, or null.</summary>
    public (BrainLesionFinding Finding, Vector3Mm Center, double RadiusMm)? Lesion { get; }

    /// <summary>The dental filling as recorded (mm), or null.</summary>
    public DentalFillingFinding? Filling { get; }

    /// <summary>
    /// Floor of the cranial cavity under (x, y) (reference mm): anterior fossa high, posterior fossa low, and the
    /// middle fossa dipping laterally into the temporal fossae.
    /// </summary>
    public static double SkullBaseZ(double x, double y)
    {
        double middle = Math.Exp(-(y * y) / (2 * 22.0 * 22.0));
        return -5 - 30 * Math.Tanh(y / 25) - 14 * middle * (x / 60) * (x / 60);
    }

    /// <summary>Face outline at z (reference mm), or null above the face.</summary>
    public static (double HalfWidth, double Anterior, double Posterior)? FaceAt(double z)
    {
        if (z > FaceTable[0].Z)
        {
            return null;
        }
        for (int i = 1; i < FaceTable.Length; i++)
        {
            if (z >= FaceTable[i].Z)
            {
                (double z0, double w0, double a0, double p0) = FaceTable[i - 1];
                (double z1, double w1, double a1, double p1) = FaceTable[i];
                double t = (z - z0) / (z1 - z0);
                return (ImplicitShapes.Lerp(w0, w1, t), ImplicitShapes.Lerp(a0, a1, t), ImplicitShapes.Lerp(p0, p1, t));
            }
        }
        (_, double w, double a, double p) = FaceTable[^1];
        return (w, a, p);
    }

    public Vector3Mm ToMm(Vector3Mm reference) => Scale * reference;

    public Vector3Mm ToReference(Vector3Mm mm) => (1 / Scale) * mm;

    private List<HeadTooth> BuildTeeth(Random rng, HeadPhantomOptions o)
    {
        const double ContactGapMm = 0.1;
        var teeth = new List<HeadTooth>(32);
        foreach ((int quadrant, bool upper, double sign) in new[] { (1, true, -1.0), (2, true, 1.0), (3, false, 1.0), (4, false, -1.0) })
        {
            DentalArch arch = upper ? UpperArch : LowerArch;
            double[] md = upper ? UpperMesioDistal : LowerMesioDistal, bl = upper ? UpperBuccoLingual : LowerBuccoLingual;
            double[] crown = upper ? UpperCrown : LowerCrown, root = upper ? UpperRoot : LowerRoot;
            double s = ContactGapMm;
            for (int k = 0; k < 8; k++)
            {
                double center = s + md[k] / 2;
                s += md[k] + ContactGapMm;
                double draw = rng.NextDouble();
                bool present = k switch
                {
                    5 => true,
                    7 => draw < o.ThirdMolarProbability,
                    _ => draw >= o.MissingToothProbability,
                };
                if (!present)
                {
                    continue;
                }
                (double x, double y, double tx, double ty) = arch.At(center, sign);
                double tip = upper ? OcclusalZ + 0.3 : OcclusalZ - 0.3;
                teeth.Add(new HeadTooth(10 * quadrant + k + 1, upper, x, y, tx, ty, md[k], bl[k], crown[k], root[k], tip));
            }
        }
        return teeth;
    }

    private (BrainLesionFinding, Vector3Mm, double)? PlaceLesion(Random rng, HeadPhantomOptions o)
    {
        if (rng.NextDouble() >= o.LesionProbability)
        {
            return null;
        }
        bool hyper = rng.NextDouble() < o.HyperdenseLesionProbability;
        double density = Math.Round(hyper ? ImplicitShapes.Uniform(rng, 60, 75) : ImplicitShapes.Uniform(rng, 5, 18));
        double diameter = ImplicitShapes.Round1(ImplicitShapes.Uniform(rng, o.LesionDiameterMinMm, o.LesionDiameterMaxMm));
        const double ClearanceMm = 2;
        for (int attempt = 0; attempt < 500; attempt++)
        {
            var reference = new Vector3Mm(
                ImplicitShapes.Uniform(rng, -60, 60), ImplicitShapes.Uniform(rng, -70, 80), ImplicitShapes.Uniform(rng, 0, 95));
            Vector3Mm mm = ToMm(reference);
            var rounded = new Vector3Mm(ImplicitShapes.Round1(mm.X), ImplicitShapes.Round1(mm.Y), ImplicitShapes.Round1(mm.Z));
            Vector3Mm c = ToReference(rounded);
            double r = diameter / 2 / Scale;
            if (!InsideBrain(c, r + ClearanceMm / Scale))
            {
                continue;
            }
            BodySide side = c.X < 0 ? BodySide.Right : BodySide.Left;
            var finding = new BrainLesionFinding("B1", rounded.ToPoint(), diameter, density,
                hyper ? BrainLesionType.Hyperdense : BrainLesionType.Hypodense, side, RegionOf(c));
            return (finding, c, r);
        }
        return null;
    }

    private bool InsideBrain(Vector3Mm c, double radius)
    {
        if (new HeadSection(this, c.Z, includeLesion: false).Region(c.X, c.Y) != HeadRegion.Brain)
        {
            return false;
        }
        foreach (Vector3Mm d in ImplicitShapes.SphereProbeDirections)
        {
            Vector3Mm q = c + radius * d;
            if (new HeadSection(this, q.Z, includeLesion: false).Region(q.X, q.Y) != HeadRegion.Brain)
            {
                return false;
            }
        }
        return true;
    }

    private static BrainRegion RegionOf(Vector3Mm c)
    {
        if (c.Z < 0 && c.Y > 15)
        {
            return BrainRegion.Cerebellar;
        }
        if (c.Y < -25)
        {
            return BrainRegion.Frontal;
        }
        if (c.Y > 50)
        {
            return BrainRegion.Occipital;
        }
        return c.Z < 25 && Math.Abs(c.X) > 35 ? BrainRegion.Temporal : BrainRegion.Parietal;
    }

    private DentalFillingFinding? PlaceFilling(Random rng, HeadPhantomOptions o)
    {
        if (rng.NextDouble() >= o.FillingProbability)
        {
            return null;
        }
        // Premolars and molars, but not tooth 16 (its dentin is a landmark).
        HeadTooth[] candidates = [.. Teeth.Where(t => t.Fdi % 10 is >= 4 and <= 7 && t.Fdi != 16)];
        HeadTooth tooth = candidates[rng.Next(candidates.Length)];
        const double DepthMm = 2.2, SemiHeightMm = 1.6;
        double semiWidth = 0.55 * Math.Min(tooth.SemiMesioDistalMm, tooth.SemiBuccoLingualMm);
        Vector3Mm mm = ToMm(new Vector3Mm(tooth.CenterX, tooth.CenterY, tooth.ZAt(DepthMm)));
        var rounded = new Vector3Mm(ImplicitShapes.Round1(mm.X), ImplicitShapes.Round1(mm.Y), ImplicitShapes.Round1(mm.Z));
        double width = ImplicitShapes.Round1(2 * semiWidth * Scale), height = ImplicitShapes.Round1(2 * SemiHeightMm * Scale);
        Vector3Mm c = ToReference(rounded);
        tooth.Filling = new OrientedEllipsoid(c.X, c.Y, c.Z, width / 2 / Scale, width / 2 / Scale, height / 2 / Scale);
        tooth.FillingHu = (float)o.FillingHu;
        return new DentalFillingFinding("D1", tooth.Fdi, rounded.ToPoint(), width, height, o.FillingHu);
    }
}
