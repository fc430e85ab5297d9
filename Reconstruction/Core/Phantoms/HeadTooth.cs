namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// One tooth standing vertically on the dental arch, in the head's reference frame (mm). Its height h is
/// measured from the occlusal tip into the jaw (up for upper teeth, down for lower). The crown (0 ≤ h ≤ crown
/// height) has an elliptical cross-section (mesiodistal along the arch, buccolingual across it), rounded at the
/// cusps and narrowing at the neck, with an enamel shell over dentin and a pulp chamber; the single tapering root
/// is dentin around a pulp canal.
/// </summary>
internal sealed class HeadTooth
{
    private const double EnamelMm = 1.3, CuspRoundingMm = 2.0, CanalRadiusMm = 0.6;

    public HeadTooth(int fdi, bool upper, double cx, double cy, double tangentX, double tangentY,
        double mesioDistalMm, double buccoLingualMm, double crownHeightMm, double rootLengthMm, double tipZMm)
    {
        Fdi = fdi;
        Upper = upper;
        CenterX = cx;
        CenterY = cy;
        TangentX = tangentX;
        TangentY = tangentY;
        SemiMesioDistalMm = mesioDistalMm / 2;
        SemiBuccoLingualMm = buccoLingualMm / 2;
        CrownHeightMm = crownHeightMm;
        RootLengthMm = rootLengthMm;
        TipZMm = tipZMm;
        double far = tipZMm + (upper ? 1 : -1) * (crownHeightMm + rootLengthMm);
        ZMinMm = Math.Min(tipZMm, far);
        ZMaxMm = Math.Max(tipZMm, far);
        ReachMm = Math.Max(SemiMesioDistalMm, SemiBuccoLingualMm);
    }

    public int Fdi { get; }

    public bool Upper { get; }

    public double CenterX { get; }

    public double CenterY { get; }

    public double TangentX { get; }

    public double TangentY { get; }

    public double SemiMesioDistalMm { get; }

    public double SemiBuccoLingualMm { get; }

    public double CrownHeightMm { get; }

    public double RootLengthMm { get; }

    /// <summary>z of the occlusal tip.</summary>
    public double TipZMm { get; }

    public double ZMinMm { get; }

    public double ZMaxMm { get; }

    public double ReachMm { get; }

    /// <summary>A restoration in the crown (reference frame), or null.</summary>
    public OrientedEllipsoid? Filling { get; set; }

    /// <summary>Attenuation of <see cref="Filling"/> (HU).</summary>
    public float FillingHu { get; set; }

    /// <summary>Height into the jaw of a plane at <paramref name="z"/>.</summary>
    public double HeightAt(double z) => Upper ? z - TipZMm : TipZMm - z;

    /// <summary>z of the plane at height <paramref name="h"/>.</summary>
    public double ZAt(double h) => Upper ? TipZMm + h : TipZMm - h;

    /// <summary>The tooth's HU at (x, y, z), or false outside it.</summary>
    public bool TrySample(double x, double y, double z, HeadTissueHu tissue, out float hu)
    {
        hu = 0;
        double h = HeightAt(z);
        if (h < 0 || h > CrownHeightMm + RootLengthMm)
        {
            return false;
        }
        double dx = x - CenterX, dy = y - CenterY;
        if (Math.Abs(dx) > ReachMm || Math.Abs(dy) > ReachMm)
        {
            return false;
        }
        double u = dx * TangentX + dy * TangentY, v = -dx * TangentY + dy * TangentX;
        if (h <= CrownHeightMm)
        {
            double f = CrownProfile(h);
            double a = SemiMesioDistalMm * f, b = SemiBuccoLingualMm * f;
            double r2 = u * u / (a * a) + v * v / (b * b);
            if (r2 > 1)
            {
                return false;
            }
            if (Filling is not null && Filling.Radius2(x, y, z) <= 1)
            {
                hu = FillingHu;
                return true;
            }
            double ai = a - EnamelMm, bi = b - EnamelMm;
            bool dentin = h > EnamelMm && ai > 0 && bi > 0 && u * u / (ai * ai) + v * v / (bi * bi) <= 1;
            if (!dentin)
            {
                hu = (float)tissue.Enamel;
            }
            else
            {
                hu = (float)(h > 0.5 * CrownHeightMm && r2 < 0.09 ? tissue.Pulp : tissue.Dentin);
            }
            return true;
        }
        double s = (h - CrownHeightMm) / RootLengthMm;
        double taper = 0.8 * (1 - 0.65 * s);
        double ra = SemiMesioDistalMm * taper, rb = SemiBuccoLingualMm * taper;
        if (u * u / (ra * ra) + v * v / (rb * rb) > 1)
        {
            return false;
        }
        hu = (float)(u * u + v * v < CanalRadiusMm * CanalRadiusMm ? tissue.Pulp : tissue.Dentin);
        return true;
    }

    /// <summary>Relative crown width at height h: rounded cusps at the tip, a slight waist at the neck.</summary>
    public double CrownProfile(double h)
    {
        double f = 1.0;
        if (h < CuspRoundingMm)
        {
            double t = 1 - h / CuspRoundingMm;
            f = 0.55 + 0.45 * Math.Sqrt(1 - t * t);
        }
        return f * (1 - 0.12 * ImplicitShapes.Smoothstep(0.6 * CrownHeightMm, CrownHeightMm, h));
    }
}
