namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The head phantom in the axial plane at one reference-frame z. Sampling goes outside in: air, teeth, scalp,
/// skull vault (outer table, diploë, inner table), brain (lesion, ventricles, subarachnoid CSF, cortex, deep grey,
/// white matter), skull base, and below it the face and neck (orbits, sinuses, nasal cavity, jaws, tongue,
/// airway, cervical spine). Per-plane lists keep only the structures that reach this z.
/// </summary>
internal sealed class HeadSection
{
    private const double SubarachnoidMm = 1.5, CortexMm = 5.0, SkinMm = 1.5, FaceFatMm = 5.0, SkullBaseMm = 5.0;
    private const double FaceSquareness = 0.3;

    private readonly HeadAnatomy _a;
    private readonly HeadTissueHu _t;
    private readonly double _z;
    private readonly bool _lesionActive;
    private readonly bool _faceActive;
    private readonly double _faceHalfWidth, _faceCenterY, _faceSemiY;
    private readonly bool _noseActive, _nostrils;
    private readonly double _noseY, _noseSemiX, _noseSemiY, _faceAnterior;
    private readonly HeadTooth[] _teeth;
    private readonly OrientedEllipsoid[] _ventricles, _deepGrey, _globes, _lenses, _petrous, _mastoids,
        _sinuses, _turbinates, _condyles;
    private readonly (TubeSegment Tube, double X0, double X1, double Y0, double Y1)[] _zygoma, _nerves, _pharynx, _orbitalFat, _orbitWalls;
    private readonly float _air, _fat, _scalp, _muscle, _cortical, _cancellous, _thin, _csf;

    public HeadSection(HeadAnatomy anatomy, double zReference, bool includeLesion = true)
    {
        _a = anatomy;
        _t = anatomy.Tissue;
        _z = zReference;
        _lesionActive = includeLesion && anatomy.Lesion is { } lesion && Math.Abs(zReference - lesion.Center.Z) <= lesion.RadiusMm;
        _air = (float)_t.Air;
        _fat = (float)_t.Fat;
        _scalp = (float)_t.Scalp;
        _muscle = (float)_t.Muscle;
        _cortical = (float)_t.CorticalBone;
        _cancellous = (float)_t.CancellousBone;
        _thin = (float)_t.ThinBone;
        _csf = (float)_t.Csf;

        if (HeadAnatomy.FaceAt(zReference) is { } face)
        {
            _faceActive = true;
            _faceHalfWidth = face.HalfWidth;
            _faceCenterY = (face.Anterior + face.Posterior) / 2;
            _faceSemiY = (face.Posterior - face.Anterior) / 2;
            _faceAnterior = face.Anterior;
            if (zReference is <= 8 and >= -40)
            {
                // The nose grows forward and wider towards its base; nostrils open at the bottom.
                double s = ImplicitShapes.Smoothstep(8, -35, zReference);
                _noseActive = true;
                _noseY = face.Anterior - 2 - 6 * s;
                _noseSemiX = 7 + 6 * s;
                _noseSemiY = 6 + 6 * s;
                _nostrils = zReference < -32;
            }
        }
        _teeth = [.. anatomy.Teeth.Where(t => zReference >= t.ZMinMm && zReference <= t.ZMaxMm)];
        _ventricles = Active(anatomy.Ventricles);
        _deepGrey = Active(anatomy.DeepGrey);
        _globes = Active(anatomy.Globes);
        _lenses = Active(anatomy.Lenses);
        _orbitalFat = Active(anatomy.OrbitalFat);
        _orbitWalls = Active(anatomy.OrbitWalls);
        _petrous = Active(anatomy.Petrous);
        _mastoids = Active(anatomy.Mastoids);
        _sinuses = Active(anatomy.AirSinuses);
        _turbinates = Active(anatomy.Turbinates);
        _condyles = Active(anatomy.Condyles);
        _zygoma = Active(anatomy.ZygomaticArches);
        _nerves = Active(anatomy.OpticNerves);
        _pharynx = Active(anatomy.Oropharynx);
    }

    /// <summary>Brain parenchyma or not.</summary>
    public HeadRegion Region(double x, double y)
    {
        Sample(x, y, out HeadRegion region);
        return region;
    }

    /// <summary>HU at reference-frame (x, y) in this plane.</summary>
    public float Sample(double x, double y, out HeadRegion region)
    {
        region = HeadRegion.Other;
        double z = _z;
        bool inScalp = _a.ScalpOuter.Radius2(x, y, z) <= 1;
        double faceRho = _faceActive
            ? ImplicitShapes.Squircle(x, y - _faceCenterY, _faceHalfWidth, _faceSemiY, FaceSquareness)
            : double.PositiveInfinity;
        bool inNose = _noseActive && ImplicitShapes.Ellipse2(x, y, 0, _noseY, _noseSemiX, _noseSemiY) <= 1;
        if (!inScalp && faceRho > 1 && !inNose)
        {
            return _air;
        }
        if (_nostrils && inNose && faceRho > 1 && ImplicitShapes.Ellipse2(Math.Abs(x), y, 6, _faceAnterior - 8, 3, 5) <= 1)
        {
            return _air;
        }
        foreach (HeadTooth tooth in _teeth)
        {
            if (tooth.TrySample(x, y, z, _t, out float hu))
            {
                return hu;
            }
        }
        double outer2 = _a.SkullOuter.Radius2(x, y, z);
        double baseZ = HeadAnatomy.SkullBaseZ(x, y);
        if (outer2 > 1)
        {
            // Outside the skull: scalp over the vault, face and neck soft tissue lower down.
            if (inScalp && (z > 15 || faceRho > 1))
            {
                return _scalp;
            }
            return Face(x, y, faceRho);
        }
        if (z < baseZ - SkullBaseMm)
        {
            return Face(x, y, faceRho);
        }
        Vector3Mm c = _a.SkullOuter.Center;
        double r = Math.Sqrt((x - c.X) * (x - c.X) + (y - c.Y) * (y - c.Y) + (z - c.Z) * (z - c.Z));
        double inner2 = _a.SkullInner.Radius2(x, y, z);
        if (inner2 > 1)
        {
            // Vault: depth below the outer surface along the ray from the centre picks table or diploë.
            double depth = r * (1 / Math.Sqrt(outer2) - 1);
            const double TableMm = 1.8;
            return depth < TableMm || depth > _a.SkullThicknessMm - TableMm ? _cortical : _cancellous;
        }
        if (Any(_petrous, x, y))
        {
            return (float)_t.PetrousBone;
        }
        if (Mastoid(x, y, out float mastoid))
        {
            return mastoid;
        }
        if (z < baseZ)
        {
            // Skull base, open at the foramen magnum for the medulla.
            return Math.Abs(x) < 14 && y > 28 && y < 58 ? (float)_t.WhiteMatter : _thin;
        }
        return Brain(x, y, r, inner2, out region);
    }

    private OrientedEllipsoid[] Active(OrientedEllipsoid[] all) => [.. all.Where(e => e.ReachesZ(_z))];

    private (TubeSegment, double, double, double, double)[] Active(IReadOnlyList<TubeSegment> tubes)
    {
        var list = new List<(TubeSegment, double, double, double, double)>();
        foreach (TubeSegment tube in tubes)
        {
            if (tube.CrossSectionBounds(_z, out double x0, out double x1, out double y0, out double y1))
            {
                list.Add((tube, x0, x1, y0, y1));
            }
        }
        return [.. list];
    }

    private bool Any(OrientedEllipsoid[] shapes, double x, double y)
    {
        foreach (OrientedEllipsoid e in shapes)
        {
            if (e.Contains(x, y, _z))
            {
                return true;
            }
        }
        return false;
    }

    private bool Any((TubeSegment Tube, double X0, double X1, double Y0, double Y1)[] tubes, double x, double y)
    {
        foreach ((TubeSegment tube, double x0, double x1, double y0, double y1) in tubes)
        {
            if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && tube.Contains(x, y, _z))
            {
                return true;
            }
        }
        return false;
    }

    private float Brain(double x, double y, double r, double inner2, out HeadRegion region)
    {
        region = HeadRegion.Other;
        if (_lesionActive)
        {
            (BrainLesionFinding finding, Vector3Mm c, double radius) = _a.Lesion!.Value;
            double dx = x - c.X, dy = y - c.Y, dz = _z - c.Z;
            if (dx * dx + dy * dy + dz * dz <= radius * radius)
            {
                region = HeadRegion.Brain;
                return (float)finding.DensityHu;
            }
        }
        if (Any(_ventricles, x, y))
        {
            return _csf;
        }
        double depth = r * (1 / Math.Sqrt(inner2) - 1);
        if (depth < SubarachnoidMm)
        {
            return _csf;
        }
        region = HeadRegion.Brain;
        // Cerebellum and brainstem in the posterior fossa read like grey matter.
        if (depth < CortexMm || Any(_deepGrey, x, y) || (_z < 0 && y > 15))
        {
            return (float)_t.GreyMatter;
        }
        return (float)_t.WhiteMatter;
    }

    private float Face(double x, double y, double faceRho)
    {
        double z = _z;
        HeadAnatomy a = _a;
        if (faceRho <= 1 && faceRho > 0.5)
        {
            // Skin and a thin subcutaneous fat layer under the face outline.
            double r = Math.Sqrt(x * x + (y - _faceCenterY) * (y - _faceCenterY));
            double depth = r * (1 / faceRho - 1);
            if (depth < SkinMm)
            {
                return _scalp;
            }
            if (depth < FaceFatMm && !a.SkullOuter.Contains(x, y, z))
            {
                return _fat;
            }
        }
        else if (faceRho > 1)
        {
            // Nose outside the face outline.
            return _muscle;
        }
        if (Any(_lenses, x, y))
        {
            return (float)_t.Lens;
        }
        if (Any(_globes, x, y))
        {
            return (float)_t.Vitreous;
        }
        if (Any(_nerves, x, y))
        {
            return (float)_t.WhiteMatter;
        }
        if (Any(_orbitalFat, x, y))
        {
            return (float)_t.OrbitalFat;
        }
        if (y > -70 && Any(_orbitWalls, x, y))
        {
            return _thin;
        }
        if (Any(_zygoma, x, y) || Any(_condyles, x, y))
        {
            return _cortical;
        }
        if (Any(_petrous, x, y))
        {
            return (float)_t.PetrousBone;
        }
        if (Mastoid(x, y, out float mastoid))
        {
            return mastoid;
        }
        foreach (OrientedEllipsoid s in _sinuses)
        {
            double s2 = s.Radius2(x, y, z);
            if (s2 <= 1)
            {
                return s2 < 0.85 ? _air : _thin;
            }
        }
        if (a.Ethmoid.Contains(x, y, z))
        {
            return (float)_t.AirCells;
        }
        double occlusal = HeadAnatomy.OcclusalZ;
        if (z > occlusal + 27 && a.NasalCavity.Contains(x, y, z))
        {
            if (Math.Abs(x) < 1.2)
            {
                return _thin;
            }
            return Any(_turbinates, x, y) ? _muscle : _air;
        }
        if (a.Nasopharynx.Contains(x, y, z) || Any(_pharynx, x, y))
        {
            return _air;
        }
        if (Jaw(x, y, out float bone))
        {
            return bone;
        }
        if (a.OralAir.Contains(x, y, z) && !a.Tongue.Contains(x, y, z))
        {
            return _air;
        }
        return Spine(x, y);
    }

    private bool Mastoid(double x, double y, out float hu)
    {
        foreach (OrientedEllipsoid m in _mastoids)
        {
            double m2 = m.Radius2(x, y, _z);
            if (m2 <= 1)
            {
                hu = m2 < 0.75 ? (float)_t.AirCells : _thin;
                return true;
            }
        }
        hu = 0;
        return false;
    }

    private bool Jaw(double x, double y, out float bone)
    {
        bone = 0;
        double z = _z, occlusal = HeadAnatomy.OcclusalZ;
        HeadAnatomy a = _a;
        if (y > 20 || Math.Abs(x) > 60)
        {
            return false;
        }
        // Maxillary alveolar process (holds the upper roots) and hard palate.
        if (z >= occlusal + 5 && z <= occlusal + 27)
        {
            double d = a.UpperArch.DistanceMm(x, y);
            if (d <= 6.5)
            {
                bone = d > 4.5 ? _cortical : _cancellous;
                return true;
            }
            if (z >= occlusal + 21 && a.UpperArch.Inside(x, y) && y < -12)
            {
                bone = _cortical;
                return true;
            }
        }
        // Mandible: body along the arch (teeth region topped by the alveolar crest), then the rami.
        double bottom = -102 + 6 * Math.Min(1, Math.Abs(x) / 46);
        if (z <= occlusal - 9 && z >= bottom)
        {
            double d = a.MandibleArch.DistanceMm(x, y);
            bool dentate = Math.Abs(x) <= a.MandibleArch.HalfWidthMm;
            if (d <= 5.5 && (dentate || z <= occlusal - 15))
            {
                bone = d > 3.5 || z < bottom + 2.5 ? _cortical : _cancellous;
                return true;
            }
        }
        if (z >= bottom && z <= -30)
        {
            // Ramus: a plate from the angle up to the condyle.
            double ax = Math.Abs(x), x0 = 44, y0 = -8, x1 = 47, y1 = 10;
            double dx = x1 - x0, dy = y1 - y0;
            double t = Math.Clamp(((ax - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1);
            double ex = ax - (x0 + t * dx), ey = y - (y0 + t * dy);
            if (ex * ex + ey * ey <= 16)
            {
                bone = ex * ex + ey * ey > 4 ? _cortical : _cancellous;
                return true;
            }
        }
        return false;
    }

    private float Spine(double x, double y)
    {
        double z = _z;
        if (z > -38)
        {
            return _a.Dens.Contains(x, y, z) ? _cortical : _muscle;
        }
        const double PeriodMm = 16, FirstBodyZ = -48;
        double phase = (z - FirstBodyZ) / PeriodMm;
        double dz = (phase - Math.Round(phase)) * PeriodMm;
        bool body = Math.Abs(dz) <= 6.5;
        if (ImplicitShapes.Ellipse2(x, y, 0, 25, 9, 7.5) <= 1)
        {
            if (!body)
            {
                return _muscle;
            }
            bool shell = Math.Abs(dz) > 5.3 || ImplicitShapes.Ellipse2(x, y, 0, 25, 7.6, 6.1) > 1;
            return shell ? _cortical : _cancellous;
        }
        if (ImplicitShapes.Ellipse2(x, y, 0, 43, 8.5, 7) <= 1)
        {
            return (float)_t.WhiteMatter;
        }
        if ((ImplicitShapes.Ellipse2(x, y, 0, 43, 13, 11.5) <= 1 || ImplicitShapes.Ellipse2(x, y, 0, 60, 3, 8) <= 1) && dz <= 4)
        {
            return _cortical;
        }
        return _muscle;
    }
}
