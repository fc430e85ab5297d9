namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The random normal anatomy of one chest phantom case, in mm: body and cavity sizes, vertebral levels, ribs,
/// mediastinal tubes (great vessels, airways, oesophagus), the heart, and the pulmonary vessel and airway trees.
/// Positions are drawn for a reference body (half-width 160 mm, half-depth 110 mm) and scaled in x and y by the
/// case's body size; z levels are fractions of the case's lung height below its apex.
/// </summary>
internal sealed class ChestAnatomy
{
    public const double BodySquareness = 0.25;
    public const double CavitySquareness = 0.35;
    public const double SkinMm = 2.0;
    public const double FatRimMm = 2.5;

    public ChestAnatomy(int seed, ChestPhantomOptions options)
    {
        Options = options;
        Tissue = options.Tissue;
        // Each part draws from its own stream, so changing one part does not reshuffle the others.
        Random layoutRng = SeedStreams.Create(seed, 1);
        Random textureRng = SeedStreams.Create(seed, 2);
        Seed = seed;

        HalfWidthMm = ImplicitShapes.Uniform(layoutRng, options.BodyWidthMinMm, options.BodyWidthMaxMm) / 2;
        HalfDepthMm = ImplicitShapes.Uniform(layoutRng, options.BodyDepthMinMm, options.BodyDepthMaxMm) / 2;
        FatMm = ImplicitShapes.Uniform(layoutRng, options.FatThicknessMinMm, options.FatThicknessMaxMm);
        LungHeightMm = ImplicitShapes.Uniform(layoutRng, options.LungHeightMinMm, options.LungHeightMaxMm);
        ApexZMm = ImplicitShapes.Uniform(layoutRng, options.LungApexZMinMm, options.LungApexZMaxMm);
        double h = LungHeightMm;
        RecessZMm = ApexZMm - h;
        T1ZMm = ApexZMm - 0.03 * h;
        LevelMm = h / 11.6;
        CarinaZMm = ApexZMm - 0.32 * h;
        ArchTopZMm = CarinaZMm + 0.09 * h;
        HeartZMm = ApexZMm - 0.585 * h;
        HeartHalfHeightMm = 0.19 * h;
        RightDomeZMm = ApexZMm - ImplicitShapes.Uniform(layoutRng, 0.68, 0.72) * h;
        LeftDomeZMm = RightDomeZMm - ImplicitShapes.Uniform(layoutRng, 0.04, 0.07) * h;
        Sx = HalfWidthMm / 160;
        Sy = HalfDepthMm / 110;
        CavityHalfWidthMm = HalfWidthMm - 1.1 * FatMm - 20;
        CavityAnteriorMm = HalfDepthMm - FatMm - 22;
        CavityPosteriorMm = HalfDepthMm - 0.8 * FatMm - 25;
        VertebraYMm = CavityPosteriorMm - 27;
        double heartScale = ImplicitShapes.Uniform(layoutRng, 0.92, 1.08);
        HeartSemiLongMm = 56 * heartScale;
        HeartSemiShortMm = 42 * heartScale;
        HeartRotationRad = ImplicitShapes.Uniform(layoutRng, -45, -35) * Math.PI / 180;
        HeartCenter = new Vector3Mm(20 * Sx, -22 * Sy, HeartZMm);
        LungBaseHu = Tissue.Lung + ImplicitShapes.Uniform(layoutRng, -15, 15);
        SternumTopZMm = T1ZMm - 1.6 * LevelMm;
        SternumBottomZMm = SternumTopZMm - 0.6 * h;
        ScapulaTopZMm = T1ZMm + 0.2 * LevelMm;
        ScapulaBottomZMm = T1ZMm - 6.5 * LevelMm;

        Ribs = BuildRibs();
        BuildMediastinum();
        WallTubes = BuildClavicles();
        Texture = BuildTexture(textureRng, options.LungTextureAmplitudeHu);

        var vessels = new List<TubeSegment>();
        var walls = new List<TubeSegment>();
        var lumens = new List<TubeSegment>();
        float blood = (float)Tissue.Blood;
        foreach ((BodySide side, Vector3Mm arteryRoot, Vector3Mm veinRoot, Vector3Mm bronchusEnd, int s) in new[]
        {
            (BodySide.Right, RightArteryRoot, RightVeinRoot, RightBronchusEnd, 0),
            (BodySide.Left, LeftArteryRoot, LeftVeinRoot, LeftBronchusEnd, 2),
        })
        {
            List<Vector3Mm> arteryTargets = SampleLung(SeedStreams.Create(seed, 3 + s), side, options.VesselTerminalsPerTree);
            List<Vector3Mm> veinTargets = SampleLung(SeedStreams.Create(seed, 4 + s), side, options.VesselTerminalsPerTree);
            List<TreeBranch> arteries = VesselTree.Grow(arteryRoot, 7.5, arteryTargets);
            List<TreeBranch> veins = VesselTree.Grow(veinRoot, 7.0, veinTargets);
            AddVessels(arteries, blood, vessels);
            AddVessels(veins, blood, vessels);
            AddAirways(arteries, bronchusEnd, walls, lumens);
        }
        VesselTubes = vessels;
        AirwayWallTubes = walls;
        AirwayLumenTubes = lumens;
    }

    public ChestPhantomOptions Options { get; }

    public ChestTissueHu Tissue { get; }

    /// <summary>The case seed (the findings derive their own streams from it).</summary>
    public int Seed { get; }

    public double HalfWidthMm { get; }

    public double HalfDepthMm { get; }

    public double FatMm { get; }

    public double LungHeightMm { get; }

    public double ApexZMm { get; }

    public double RecessZMm { get; }

    public double T1ZMm { get; }

    /// <summary>Height of one vertebral level (body plus disc) (mm).</summary>
    public double LevelMm { get; }

    public double CarinaZMm { get; }

    public double ArchTopZMm { get; }

    public double HeartZMm { get; }

    public double HeartHalfHeightMm { get; }

    public double RightDomeZMm { get; }

    public double LeftDomeZMm { get; }

    /// <summary>x scale of the reference layout.</summary>
    public double Sx { get; }

    /// <summary>y scale of the reference layout.</summary>
    public double Sy { get; }

    public double CavityHalfWidthMm { get; }

    public double CavityAnteriorMm { get; }

    public double CavityPosteriorMm { get; }

    public double VertebraYMm { get; }

    public double HeartSemiLongMm { get; }

    public double HeartSemiShortMm { get; }

    public double HeartRotationRad { get; }

    public Vector3Mm HeartCenter { get; }

    public double LungBaseHu { get; }

    public double SternumTopZMm { get; }

    public double SternumBottomZMm { get; }

    public double ScapulaTopZMm { get; }

    public double ScapulaBottomZMm { get; }

    public IReadOnlyList<ChestRib> Ribs { get; }

    /// <summary>Mediastinal tubes (vessels, airways, oesophagus) in painting order: later ones are on top.</summary>
    public IReadOnlyList<TubeSegment> MediastinalTubes { get; private set; } = [];

    /// <summary>Fat rims around mediastinal vessels and airways (under the tubes and the heart).</summary>
    public IReadOnlyList<TubeSegment> MediastinalRims { get; private set; } = [];

    /// <summary>Bones crossing the chest wall (clavicles), in painting order.</summary>
    public IReadOnlyList<TubeSegment> WallTubes { get; }

    /// <summary>Pulmonary arteries and veins (painted only on lung).</summary>
    public IReadOnlyList<TubeSegment> VesselTubes { get; }

    /// <summary>Outer walls of the intrapulmonary bronchi (painted only on lung).</summary>
    public IReadOnlyList<TubeSegment> AirwayWallTubes { get; }

    /// <summary>Lumens of the intrapulmonary bronchi (painted only on lung, after the walls).</summary>
    public IReadOnlyList<TubeSegment> AirwayLumenTubes { get; }

    public IReadOnlyList<(double Kx, double Ky, double Kz, double Phase, double AmplitudeHu)> Texture { get; }

    public Vector3Mm RightArteryRoot { get; private set; }

    public Vector3Mm LeftArteryRoot { get; private set; }

    public Vector3Mm RightVeinRoot { get; private set; }

    public Vector3Mm LeftVeinRoot { get; private set; }

    public Vector3Mm RightBronchusEnd { get; private set; }

    public Vector3Mm LeftBronchusEnd { get; private set; }

    /// <summary>Descending aorta centre line (for the landmark).</summary>
    public IReadOnlyList<Vector3Mm> DescendingAorta { get; private set; } = [];

    /// <summary>z of vertebral body n's centre (n = 1 is T1; other integers continue the column).</summary>
    public double VertebraZMm(int n) => T1ZMm - (n - 1) * LevelMm;

    /// <summary>The vertebral level whose body centre is nearest to <paramref name="zMm"/>.</summary>
    public int NearestVertebra(double zMm) => (int)Math.Round((T1ZMm - zMm) / LevelMm) + 1;

    /// <summary>Top of the hemidiaphragm under (x, y) (mm): domes high centrally, recesses low at the edges.</summary>
    public double DiaphragmZMm(double x, double y)
    {
        double top = ImplicitShapes.Lerp(RightDomeZMm, LeftDomeZMm, ImplicitShapes.Smoothstep(-25, 25, x));
        double k = (top - RecessZMm) / 2.0;
        double dx = (Math.Abs(x) - 0.45 * CavityHalfWidthMm) / (0.62 * CavityHalfWidthMm);
        double dy = (y + 10 * Sy) / (0.8 * CavityPosteriorMm);
        return Math.Max(RecessZMm, top - k * (dx * dx + dy * dy));
    }

    /// <summary>Upper limit of the lung above (x, y) (mm): a dome over each apex.</summary>
    public double ApexLimitZMm(double x, double y)
    {
        double dx = (Math.Abs(x) - 0.42 * CavityHalfWidthMm) / (55 * Sx);
        double dy = (y - 20 * Sy) / (55 * Sy);
        return ApexZMm - 70 * (dx * dx + dy * dy);
    }

    /// <summary>Approximate lobe of a lung point (fissure planes).</summary>
    public LungLobe LobeAt(BodySide side, double y, double z)
    {
        double dome = side == BodySide.Right ? RightDomeZMm : LeftDomeZMm;
        // Oblique fissure: from the posterior chest wall near the carina level down to the anterior diaphragm.
        double yPosterior = CavityPosteriorMm, zPosterior = CarinaZMm;
        double yAnterior = -0.5 * CavityAnteriorMm, zAnterior = dome - 10;
        double zOblique = zAnterior + (zPosterior - zAnterior) * (y - yAnterior) / (yPosterior - yAnterior);
        if (z < zOblique)
        {
            return side == BodySide.Right ? LungLobe.RightLower : LungLobe.LeftLower;
        }
        if (side == BodySide.Left)
        {
            return LungLobe.LeftUpper;
        }
        double zHorizontal = HeartZMm + 0.6 * HeartHalfHeightMm;
        return z < zHorizontal ? LungLobe.RightMiddle : LungLobe.RightUpper;
    }

    private Vector3Mm P(double xRef, double yMm, double z) => new(xRef * Sx, yMm, z);

    private List<ChestRib> BuildRibs()
    {
        var ribs = new List<ChestRib>(12);
        for (int n = 1; n <= 12; n++)
        {
            double head = VertebraZMm(n) + 0.25 * LevelMm;
            double thetaEnd = n switch { <= 7 => 2.45 + 0.02 * n, <= 10 => 2.25, 11 => 1.75, _ => 1.35 };
            double cartilageEnd = n switch { <= 7 => 2.95, <= 10 => 2.6, _ => thetaEnd };
            double drop = n switch { 1 => 30, 2 => 45, 3 => 55, <= 8 => 65, <= 10 => 60, 11 => 35, _ => 25 } * LevelMm / 25;
            double rise = n switch { <= 4 => 0, <= 7 => 10, <= 10 => 25, _ => 0 } * LevelMm / 25;
            double semiZ = n == 1 ? 4.5 : n >= 11 ? 5.0 : 5.5;
            ribs.Add(new ChestRib(n, head, 0.4, thetaEnd, cartilageEnd, drop, rise, 3.5, semiZ));
        }
        return ribs;
    }

    private void BuildMediastinum()
    {
        double yV = VertebraYMm, zC = CarinaZMm, zA = ArchTopZMm, zH = HeartZMm, cH = HeartHalfHeightMm;
        double top = ApexZMm + 80;
        var rims = new List<TubeSegment>();
        var solid = new List<TubeSegment>();
        float blood = (float)Tissue.Blood, muscle = (float)Tissue.Muscle, fat = (float)Tissue.MediastinalFat;
        float wall = (float)Tissue.AirwayWall, air = (float)Tissue.Air;

        void Vessel(bool rim, params (Vector3Mm, double)[] polyline)
        {
            foreach (TubeSegment t in TubeSegment.Polyline(blood, polyline))
            {
                solid.Add(t);
                if (rim)
                {
                    rims.Add(t.Widened(FatRimMm, fat));
                }
            }
        }

        // Oesophagus (collapsed, soft tissue).
        solid.AddRange(TubeSegment.Polyline(muscle,
            (P(3, yV - 20, top), 8), (P(4, yV - 20, zC), 8), (P(10, yV - 22, zH), 8), (P(28, yV - 42, LeftDomeZMm - 25), 8)));
        // Inferior vena cava into the right atrium.
        Vessel(false, (P(-18, yV - 30, RecessZMm - 60), 11), (P(-20, -2 * Sy, zH - 0.75 * cH), 11));
        // Brachiocephalic veins joining into the superior vena cava, which enters the right atrium.
        Vector3Mm svcTop = P(-34, -26 * Sy, zA + 20);
        Vessel(true, (P(-40, -14 * Sy, top), 7), (svcTop, 8));
        Vessel(true, (P(50, -22 * Sy, zA + 45), 6), (P(10, -32 * Sy, zA + 28), 6), (svcTop, 7));
        Vessel(true, (svcTop, 10), (P(-34, -26 * Sy, zH + 0.5 * cH), 10));
        // Aorta: root, ascending, arch (left of the trachea), descending beside the spine, abdominal.
        Vessel(true,
            (P(4, -10 * Sy, zH + 0.3 * cH), 14), (P(-8, -24 * Sy, zC - 15), 15), (P(-4, -14 * Sy, zA - 14), 14),
            (P(14, yV - 58, zA - 12), 13), (P(28, yV - 30, zA - 16), 12), (P(28, yV - 20, zA - 30), 12));
        DescendingAorta =
        [
            P(28, yV - 20, zA - 30), P(28, yV - 18, zC - 40), P(20, yV - 22, RecessZMm), P(6, yV - 28, RecessZMm - 80),
        ];
        Vessel(true, (DescendingAorta[0], 12), (DescendingAorta[1], 11.5), (DescendingAorta[2], 11), (DescendingAorta[3], 10));
        // Supra-aortic arteries.
        Vessel(true, (P(0, -10 * Sy, zA - 8), 7), (P(-14, -14 * Sy, top), 7));
        Vessel(true, (P(10, yV - 56, zA - 8), 5), (P(16, yV - 56, top), 5));
        Vessel(true, (P(22, yV - 40, zA - 10), 6), (P(36, yV - 38, ApexZMm + 20), 6), (P(70, yV - 40, ApexZMm + 40), 6));
        // Pulmonary trunk and arteries to the hila.
        Vector3Mm bifurcation = P(24, -16 * Sy, zC - 22);
        RightArteryRoot = P(-40, -2 * Sy, zC - 32);
        LeftArteryRoot = P(42, -2 * Sy, zC - 16);
        Vessel(true, (P(16, -34 * Sy, zH + 0.35 * cH), 13), (bifurcation, 13));
        Vessel(true, (bifurcation, 10), (P(4, 4 * Sy, zC - 28), 10), (RightArteryRoot, 9));
        Vessel(true, (bifurcation, 10), (LeftArteryRoot, 9));
        // Pulmonary veins from the hila into the left atrium (posterior heart).
        RightVeinRoot = P(-36, 6 * Sy, zH + 0.25 * cH);
        LeftVeinRoot = P(42, 10 * Sy, zH + 0.3 * cH);
        Vector3Mm atrium = P(5, 12 * Sy, zH + 0.4 * cH);
        Vessel(false, (atrium, 8), (RightVeinRoot, 7));
        Vessel(false, (atrium, 8), (LeftVeinRoot, 7));
        // Trachea and main bronchi: walls, then lumens on top.
        Vector3Mm carina = P(0, yV - 38, zC);
        RightBronchusEnd = P(-36, yV - 36, zC - 18);
        LeftBronchusEnd = P(44, yV - 30, zC - 30);
        var airwayAxes = new (Vector3Mm A, Vector3Mm B, double Outer, double Lumen)[]
        {
            (P(0, yV - 50, top), P(0, yV - 46, ApexZMm), 10, 8.2),
            (P(0, yV - 46, ApexZMm), carina, 10, 8.2),
            (carina, RightBronchusEnd, 7.5, 6.0),
            (carina, LeftBronchusEnd, 7.0, 5.5),
        };
        foreach ((Vector3Mm a, Vector3Mm b, double outer, _) in airwayAxes)
        {
            rims.Add(new TubeSegment(a, b, outer + FatRimMm, outer + FatRimMm, fat));
            solid.Add(new TubeSegment(a, b, outer, outer, wall));
        }
        foreach ((Vector3Mm a, Vector3Mm b, _, double lumen) in airwayAxes)
        {
            solid.Add(new TubeSegment(a, b, lumen, lumen, air));
        }
        MediastinalTubes = solid;
        MediastinalRims = rims;
    }

    private List<TubeSegment> BuildClavicles()
    {
        float cortical = (float)Tissue.CorticalBone, cancellous = (float)Tissue.CancellousBone;
        var outer = new List<TubeSegment>();
        var inner = new List<TubeSegment>();
        double z0 = SternumTopZMm;
        foreach (double sign in new[] { -1.0, 1.0 })
        {
            (Vector3Mm, double)[] line =
            [
                (P(sign * 18, -(CavityAnteriorMm + 10), z0 + 8), 7),
                (P(sign * 70, -(0.9 * CavityAnteriorMm + 5), z0 + 22), 6),
                (P(sign * 125, -8 * Sy, z0 + 34), 7),
            ];
            outer.AddRange(TubeSegment.Polyline(cortical, line));
            inner.AddRange(TubeSegment.Polyline(cancellous, [.. line.Select(v => (v.Item1, v.Item2 - 2.5))]));
        }
        return [.. outer, .. inner];
    }

    private static List<(double, double, double, double, double)> BuildTexture(Random rng, double amplitudeHu)
    {
        const int terms = 5;
        var list = new List<(double, double, double, double, double)>(terms);
        for (int i = 0; i < terms; i++)
        {
            double wavelength = ImplicitShapes.Uniform(rng, 12, 40);
            double k = 2 * Math.PI / wavelength;
            double azimuth = ImplicitShapes.Uniform(rng, 0, 2 * Math.PI);
            double cosPolar = ImplicitShapes.Uniform(rng, -1, 1);
            double sinPolar = Math.Sqrt(1 - cosPolar * cosPolar);
            list.Add((k * sinPolar * Math.Cos(azimuth), k * sinPolar * Math.Sin(azimuth), k * cosPolar,
                ImplicitShapes.Uniform(rng, 0, 2 * Math.PI), amplitudeHu / terms));
        }
        return list;
    }

    /// <summary>Uniform random points in one lung (ignoring findings), by rejection from its bounding box.</summary>
    private List<Vector3Mm> SampleLung(Random rng, BodySide side, int count)
    {
        var points = new List<Vector3Mm>(count);
        double sign = side == BodySide.Right ? -1 : 1;
        ChestRegion wanted = side == BodySide.Right ? ChestRegion.RightLung : ChestRegion.LeftLung;
        int attempts = 0;
        while (points.Count < count)
        {
            if (++attempts > 200 * count)
            {
                throw new InvalidOperationException("Chest phantom lungs came out empty; the layout options are inconsistent.");
            }
            double x = sign * rng.NextDouble() * (CavityHalfWidthMm + 2);
            double y = ImplicitShapes.Uniform(rng, -CavityAnteriorMm, CavityPosteriorMm);
            double z = ImplicitShapes.Uniform(rng, RecessZMm, ApexZMm);
            if (new ChestSection(this, null, z).Region(x, y) == wanted)
            {
                points.Add(new Vector3Mm(x, y, z));
            }
        }
        return points;
    }

    private static void AddVessels(List<TreeBranch> branches, float valueHu, List<TubeSegment> into)
    {
        foreach (TreeBranch b in branches)
        {
            // Gentle taper along each branch; Murray's law does the rest between generations.
            into.Add(new TubeSegment(b.Start, b.End, 1.08 * b.RadiusMm, 0.92 * b.RadiusMm, valueHu));
        }
    }

    /// <summary>
    /// Bronchi run beside their arteries: each artery branch of at least <c>MinArteryRadiusMm</c> gets a bronchus
    /// whose end is the artery's end shifted sideways (perpendicular to the artery) by both radii plus a gap.
    /// </summary>
    private void AddAirways(List<TreeBranch> arteries, Vector3Mm bronchusEnd, List<TubeSegment> walls, List<TubeSegment> lumens)
    {
        const double MinArteryRadiusMm = 1.8, GapMm = 0.8;
        float wall = (float)Tissue.AirwayWall, air = (float)Tissue.Air;
        var airwayEnd = new Vector3Mm?[arteries.Count];
        for (int i = 0; i < arteries.Count; i++)
        {
            TreeBranch b = arteries[i];
            if (b.RadiusMm < MinArteryRadiusMm)
            {
                continue;
            }
            Vector3Mm start = b.Parent < 0 ? bronchusEnd : airwayEnd[b.Parent] ?? bronchusEnd;
            Vector3Mm direction = (b.End - b.Start).Normalized();
            Vector3Mm side = direction.Cross(new Vector3Mm(0, 0, 1));
            if (side.Length < 0.2)
            {
                side = direction.Cross(new Vector3Mm(1, 0, 0));
            }
            side = side.Normalized();
            if (side.Y < 0)
            {
                // Consistent choice: bronchi on the posterior side of their arteries.
                side = -1.0 * side;
            }
            double lumen = 0.7 * b.RadiusMm;
            double outer = lumen + Math.Max(0.6, 0.3 * lumen);
            Vector3Mm end = b.End + (b.RadiusMm + outer + GapMm) * side;
            airwayEnd[i] = end;
            walls.Add(new TubeSegment(start, end, outer, outer, wall));
            lumens.Add(new TubeSegment(start, end, lumen, lumen, air));
        }
    }
}
