namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The chest phantom's base anatomy in the axial plane at one z: everything except the pulmonary vessel and
/// airway trees and the nodules, which are painted over it afterwards. Per-plane quantities (sizes at this z, the
/// tubes, ribs and organs that reach it) are worked out once, so sampling a point is a short chain of tests,
/// outside in: air, skin, fat, spine, chest wall (ribs, sternum, scapulae, clavicles), mediastinal tubes, abdomen
/// below the diaphragm, heart, mediastinal fat, and finally lung (or pleural fluid).
/// </summary>
internal sealed class ChestSection
{
    private const double RibCenterOffsetMm = 5.0;
    private const double ScapulaInnerOffsetMm = 15.0, ScapulaOuterOffsetMm = 18.5;
    private const double DiaphragmThicknessMm = 5.0;
    private const double HeartFatMm = 4.0;

    private readonly ChestAnatomy _a;
    private readonly double _z;
    private readonly float _air, _fat, _mediastinalFat, _muscle, _blood, _cancellous, _cortical, _cartilage, _disc, _canal;
    private readonly double _bodyX, _bodyY, _fatX, _fatY, _cavX, _cavAnt, _cavPost;
    private readonly double _vertebraScale, _vertebraY, _canalY;
    private readonly bool _inVertebralBody, _endplate, _archActive, _spinousActive, _transverseActive;
    private readonly (TubeSegment Tube, double X0, double X1, double Y0, double Y1)[] _tubes, _rims, _wallTubes;
    private readonly ChestRib[] _ribs;
    private readonly double _ribSemiRadial;
    private readonly bool _sternumActive;
    private readonly double _sternumSemiX, _sternumSemiY, _sternumY;
    private readonly bool _scapulaActive;
    private readonly double _scapulaThetaMin, _scapulaThetaMax;
    private readonly bool _heartActive, _heartFatActive;
    private readonly double _heartX, _heartY, _heartA, _heartB, _heartFatA, _heartFatB, _heartCos, _heartSin;
    private readonly double _bandExtra, _bandScale;
    private readonly double[] _texturePhase;
    private readonly double _rightEffusionLevel = double.PositiveInfinity, _leftEffusionLevel = double.PositiveInfinity;
    private readonly float _rightEffusionHu, _leftEffusionHu;
    private readonly EmphysemaRegion[] _emphysema;
    private readonly double _stomachZ;

    public ChestSection(ChestAnatomy anatomy, ChestPathology? pathology, double zMm)
    {
        _a = anatomy;
        _z = zMm;
        ChestTissueHu t = anatomy.Tissue;
        _air = (float)t.Air;
        _fat = (float)t.Fat;
        _mediastinalFat = (float)t.MediastinalFat;
        _muscle = (float)t.Muscle;
        _blood = (float)t.Blood;
        _cancellous = (float)t.CancellousBone;
        _cortical = (float)t.CorticalBone;
        _cartilage = (float)t.Cartilage;
        _disc = (float)t.Disc;
        _canal = (float)t.SpinalCanal;

        // Body slightly smaller away from mid-thorax; the bony cavity narrows towards the thoracic inlet.
        double u = Math.Clamp((zMm - (anatomy.CarinaZMm - 50)) / 200, -1, 1);
        _bodyX = anatomy.HalfWidthMm * (1 - 0.05 * u * u);
        _bodyY = anatomy.HalfDepthMm * (1 - 0.03 * u * u);
        _fatX = _bodyX - 1.1 * anatomy.FatMm;
        _fatY = _bodyY - anatomy.FatMm;
        double taper = ImplicitShapes.Smoothstep(anatomy.CarinaZMm - 20, anatomy.ApexZMm + 10, zMm);
        _cavX = (_bodyX - 1.1 * anatomy.FatMm - 20) * (1 - 0.33 * taper);
        _cavAnt = (_bodyY - anatomy.FatMm - 22) * (1 - 0.15 * taper);
        _cavPost = (_bodyY - 0.8 * anatomy.FatMm - 25) * (1 - 0.1 * taper);

        // Vertebral column: body or disc, and which posterior elements this level cuts.
        int n = anatomy.NearestVertebra(zMm);
        double level = anatomy.LevelMm, dz = zMm - anatomy.VertebraZMm(n);
        _vertebraScale = 0.85 + 0.02 * Math.Clamp(n, -3, 16);
        _vertebraY = anatomy.VertebraYMm;
        _canalY = _vertebraY + 13 * _vertebraScale + 10;
        _inVertebralBody = Math.Abs(dz) <= 0.4 * level;
        _endplate = Math.Abs(dz) > 0.4 * level - 1.2;
        _archActive = dz <= 0.27 * level;
        _spinousActive = dz <= -0.1 * level || dz >= 0.2 * level;
        _transverseActive = Math.Abs(dz) <= 0.3 * level;

        _tubes = Active(anatomy.MediastinalTubes, zMm);
        _rims = Active(anatomy.MediastinalRims, zMm);
        _wallTubes = Active(anatomy.WallTubes, zMm);
        _ribs = [.. anatomy.Ribs.Where(r => zMm >= r.ZMinMm && zMm <= r.ZMaxMm)];
        _ribSemiRadial = anatomy.Ribs[0].SemiRadialMm;

        if (zMm <= anatomy.SternumTopZMm && zMm >= anatomy.SternumBottomZMm)
        {
            double d = anatomy.SternumTopZMm - zMm, length = anatomy.SternumTopZMm - anatomy.SternumBottomZMm;
            double semi = ImplicitShapes.Lerp(22, 14, ImplicitShapes.Smoothstep(40, 55, d));
            semi = ImplicitShapes.Lerp(semi, 8, ImplicitShapes.Smoothstep(length - 35, length - 25, d));
            _sternumActive = true;
            _sternumSemiX = semi * anatomy.Sx;
            _sternumSemiY = d < 50 ? 7 : 6;
            _sternumY = -(_cavAnt + 6);
        }
        if (zMm <= anatomy.ScapulaTopZMm && zMm >= anatomy.ScapulaBottomZMm)
        {
            double s = (anatomy.ScapulaTopZMm - zMm) / (anatomy.ScapulaTopZMm - anatomy.ScapulaBottomZMm);
            _scapulaActive = true;
            _scapulaThetaMin = 0.5 + 0.45 * s * s;
            _scapulaThetaMax = 1.35 - 0.35 * s * s;
        }

        // Heart: an ellipsoid whose long axis points left-anterior-inferior, in a thin fat coat.
        double hz = zMm - anatomy.HeartZMm, ch = anatomy.HeartHalfHeightMm;
        if (Math.Abs(hz) < ch + HeartFatMm)
        {
            double below = anatomy.HeartZMm - zMm;
            _heartX = anatomy.HeartCenter.X + 0.25 * below * anatomy.Sx;
            _heartY = anatomy.HeartCenter.Y - 0.1 * below * anatomy.Sy;
            double sf = Math.Sqrt(1 - hz * hz / ((ch + HeartFatMm) * (ch + HeartFatMm)));
            _heartFatActive = true;
            _heartFatA = (anatomy.HeartSemiLongMm + HeartFatMm) * sf;
            _heartFatB = (anatomy.HeartSemiShortMm + HeartFatMm) * sf;
            if (Math.Abs(hz) < ch)
            {
                double sh = Math.Sqrt(1 - hz * hz / (ch * ch));
                _heartActive = true;
                _heartA = anatomy.HeartSemiLongMm * sh;
                _heartB = anatomy.HeartSemiShortMm * sh;
            }
            _heartCos = Math.Cos(anatomy.HeartRotationRad);
            _heartSin = Math.Sin(anatomy.HeartRotationRad);
        }
        // The mediastinum widens above the heart for the great vessels and narrows again towards the inlet.
        double heartTop = anatomy.HeartZMm + ch;
        _bandExtra = 8 * anatomy.Sx * (ImplicitShapes.Smoothstep(heartTop - 30, heartTop, zMm)
            - ImplicitShapes.Smoothstep(anatomy.ArchTopZMm + 10, anatomy.ArchTopZMm + 40, zMm));
        _bandScale = 1 - 0.5 * ImplicitShapes.Smoothstep(anatomy.ArchTopZMm, anatomy.ApexZMm, zMm);
        _stomachZ = anatomy.LeftDomeZMm - 45;

        _texturePhase = [.. anatomy.Texture.Select(term => term.Phase + term.Kz * zMm)];

        var emphysema = new List<EmphysemaRegion>();
        if (pathology is not null)
        {
            foreach (EffusionShape e in pathology.Effusions)
            {
                double depth = e.DepthAtMm(zMm);
                if (depth <= 0)
                {
                    continue;
                }
                if (e.Side == BodySide.Right)
                {
                    _rightEffusionLevel = _cavPost - depth;
                    _rightEffusionHu = e.ValueHu;
                }
                else
                {
                    _leftEffusionLevel = _cavPost - depth;
                    _leftEffusionHu = e.ValueHu;
                }
            }
            emphysema.AddRange(pathology.EmphysemaRegions.Where(r => Math.Abs(zMm - r.Center.Z) < r.SemiZMm));
        }
        _emphysema = [.. emphysema];
    }

    /// <summary>Which region (lung, pleural fluid, other) the point belongs to.</summary>
    public ChestRegion Region(double x, double y)
    {
        Sample(x, y, out ChestRegion region);
        return region;
    }

    /// <summary>The base-anatomy HU at (x, y) in this plane, and its region.</summary>
    public float Sample(double x, double y, out ChestRegion region)
    {
        region = ChestRegion.Other;
        double rhoBody = ImplicitShapes.Squircle(x, y, _bodyX, _bodyY, ChestAnatomy.BodySquareness);
        if (rhoBody > 1)
        {
            return _air;
        }
        double r = Math.Sqrt(x * x + y * y);
        if (rhoBody > 0.5 && r * (1 / rhoBody - 1) < ChestAnatomy.SkinMm)
        {
            return _muscle;
        }
        if (ImplicitShapes.Squircle(x, y, _fatX, _fatY, ChestAnatomy.BodySquareness) > 1)
        {
            return _fat;
        }
        if (InSpineBlock(x, y))
        {
            return Spine(x, y);
        }
        double rhoCavity = ImplicitShapes.Squircle(x, y, _cavX, y < 0 ? _cavAnt : _cavPost, ChestAnatomy.CavitySquareness);
        if (rhoCavity > 1)
        {
            return ChestWall(x, y, r, rhoCavity);
        }
        if (TubeAt(_tubes, x, y, out float tube))
        {
            return tube;
        }
        double zDiaphragm = _a.DiaphragmZMm(x, y);
        if (_z < zDiaphragm)
        {
            return Abdomen(x, y, zDiaphragm);
        }
        if (_heartFatActive)
        {
            double dx = x - _heartX, dy = y - _heartY;
            double along = _heartCos * dx + _heartSin * dy, across = -_heartSin * dx + _heartCos * dy;
            if (_heartActive && (along * along) / (_heartA * _heartA) + (across * across) / (_heartB * _heartB) <= 1)
            {
                return _blood;
            }
            if ((along * along) / (_heartFatA * _heartFatA) + (across * across) / (_heartFatB * _heartFatB) <= 1)
            {
                return _mediastinalFat;
            }
        }
        if (TubeAt(_rims, x, y, out float rim))
        {
            return rim;
        }
        double t = Math.Clamp((y + _cavAnt) / (_cavAnt + _vertebraY), 0, 1);
        if (Math.Abs(x) < (7 + 15 * t) * _a.Sx * _bandScale + _bandExtra)
        {
            return _mediastinalFat;
        }
        if (_z > _a.ApexLimitZMm(x, y))
        {
            return _muscle;
        }
        bool right = x < 0;
        if (y > (right ? _rightEffusionLevel : _leftEffusionLevel))
        {
            region = ChestRegion.Effusion;
            return right ? _rightEffusionHu : _leftEffusionHu;
        }
        region = right ? ChestRegion.RightLung : ChestRegion.LeftLung;
        return Lung(x, y, right ? BodySide.Right : BodySide.Left);
    }

    private static (TubeSegment, double, double, double, double)[] Active(IReadOnlyList<TubeSegment> tubes, double z)
    {
        var list = new List<(TubeSegment, double, double, double, double)>();
        foreach (TubeSegment tube in tubes)
        {
            if (tube.CrossSectionBounds(z, out double x0, out double x1, out double y0, out double y1))
            {
                list.Add((tube, x0, x1, y0, y1));
            }
        }
        return [.. list];
    }

    private bool TubeAt((TubeSegment Tube, double X0, double X1, double Y0, double Y1)[] tubes, double x, double y, out float value)
    {
        // Last painted is on top.
        for (int i = tubes.Length - 1; i >= 0; i--)
        {
            (TubeSegment tube, double x0, double x1, double y0, double y1) = tubes[i];
            if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && tube.Contains(x, y, _z))
            {
                value = tube.ValueHu;
                return true;
            }
        }
        value = 0;
        return false;
    }

    private bool InSpineBlock(double x, double y) =>
        ImplicitShapes.Ellipse2(x, y, 0, _vertebraY, 19 * _vertebraScale, 16 * _vertebraScale) <= 1
        || ImplicitShapes.Ellipse2(x, y, 0, _vertebraY + 24, 34, 34) <= 1;

    private float Spine(double x, double y)
    {
        double s = _vertebraScale;
        if (ImplicitShapes.Ellipse2(x, y, 0, _vertebraY, 16 * s, 13 * s) <= 1)
        {
            if (!_inVertebralBody)
            {
                return _disc;
            }
            bool core = !_endplate && ImplicitShapes.Ellipse2(x, y, 0, _vertebraY, 16 * s - 1.8, 13 * s - 1.8) <= 1;
            return core ? _cancellous : _cortical;
        }
        if (ImplicitShapes.Ellipse2(x, y, 0, _canalY, 9, 8) <= 1)
        {
            return _canal;
        }
        if ((_archActive && ImplicitShapes.Ellipse2(x, y, 0, _canalY, 15, 14) <= 1)
            || (_spinousActive && ImplicitShapes.Ellipse2(x, y, 0, _canalY + 24, 3.5, 11) <= 1)
            || (_transverseActive && ImplicitShapes.Ellipse2(Math.Abs(x), y, 25, _canalY - 2, 11, 5) <= 1))
        {
            return _cortical;
        }
        return _muscle;
    }

    private float ChestWall(double x, double y, double r, double rhoCavity)
    {
        if (TubeAt(_wallTubes, x, y, out float tube))
        {
            return tube;
        }
        if (_sternumActive && y < 0 && Math.Abs(x) <= _sternumSemiX)
        {
            if (ImplicitShapes.Ellipse2(x, y, 0, _sternumY, _sternumSemiX, _sternumSemiY) <= 1)
            {
                bool marrow = ImplicitShapes.Ellipse2(x, y, 0, _sternumY, _sternumSemiX - 1.5, _sternumSemiY - 1.5) <= 1;
                return marrow ? _cancellous : _cortical;
            }
        }
        // Distance beyond the cavity boundary, measured along the ray from the centre.
        double offset = r * (1 - 1 / rhoCavity);
        double dr = (offset - RibCenterOffsetMm) / _ribSemiRadial;
        if (_ribs.Length > 0 && Math.Abs(dr) <= 1)
        {
            double theta = Math.Atan2(Math.Abs(x), y);
            foreach (ChestRib rib in _ribs)
            {
                if (theta < rib.ThetaStartRad || theta > rib.CartilageEndRad)
                {
                    continue;
                }
                double dz = (_z - rib.CenterZMm(theta)) / rib.SemiZMm;
                double e = dr * dr + dz * dz;
                if (e <= 1)
                {
                    return theta > rib.ThetaEndRad ? _cartilage : e < 0.3 ? _cancellous : _cortical;
                }
            }
        }
        if (_scapulaActive && offset >= ScapulaInnerOffsetMm && offset <= ScapulaOuterOffsetMm && y > 0)
        {
            double theta = Math.Atan2(Math.Abs(x), y);
            if (theta >= _scapulaThetaMin && theta <= _scapulaThetaMax)
            {
                return _cortical;
            }
        }
        return _muscle;
    }

    private float Abdomen(double x, double y, double zDiaphragm)
    {
        ChestTissueHu t = _a.Tissue;
        if (_z > zDiaphragm - DiaphragmThicknessMm)
        {
            return _muscle;
        }
        double sx = _a.Sx, sy = _a.Sy;
        double dzs = (_z - _stomachZ) / 40;
        if (ImplicitShapes.Ellipse2(x, y, 55 * sx, -15 * sy, 40 * sx, 35 * sy) + dzs * dzs <= 1)
        {
            // Gas rises to the fundus under the left dome (supine: also anterior, but the fundus dominates).
            return _z > _a.LeftDomeZMm - 30 ? _air : (float)t.StomachContents;
        }
        // Liver fills the right upper quadrant, its left lobe reaching across the midline anteriorly.
        if (x < sx * (10 + 45 * ImplicitShapes.Smoothstep(0, -70 * sy, y)))
        {
            return (float)t.Liver;
        }
        double dzSpleen = (_z - (_a.LeftDomeZMm - 50)) / 55;
        if (ImplicitShapes.Ellipse2(x, y, 75 * sx, 40 * sy, 28 * sx, 45 * sy) + dzSpleen * dzSpleen <= 1)
        {
            return (float)t.Spleen;
        }
        return _muscle;
    }

    private float Lung(double x, double y, BodySide side)
    {
        ChestTissueHu t = _a.Tissue;
        double value = _a.LungBaseHu + 0.5 * t.LungGravityGradient * Math.Clamp(y / _cavPost, -1, 1);
        double texture = 0;
        IReadOnlyList<(double Kx, double Ky, double Kz, double Phase, double AmplitudeHu)> terms = _a.Texture;
        for (int i = 0; i < _texturePhase.Length; i++)
        {
            texture += terms[i].AmplitudeHu * Math.Sin(terms[i].Kx * x + terms[i].Ky * y + _texturePhase[i]);
        }
        value += texture;
        foreach (EmphysemaRegion e in _emphysema)
        {
            if (e.Side != side)
            {
                continue;
            }
            double r2 = e.Radius2(x, y, _z);
            if (r2 < 1)
            {
                double w = ImplicitShapes.Smoothstep(1.0, 0.75, Math.Sqrt(r2));
                value = ImplicitShapes.Lerp(value, e.ValueHu + 0.3 * texture, w);
            }
        }
        return (float)value;
    }
}
