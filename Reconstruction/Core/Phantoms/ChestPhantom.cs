using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A procedural adult chest in HU for lung CT simulation. The anatomy is continuous in mm and drawn from the
/// seed alone, so any grid samples the same patient; each voxel averages a supersampled in-plane lattice.
/// </summary>
/// <remarks>
/// <para>Contents (non-contrast values, see <see cref="ChestTissueHu"/>): air outside; a body outline of
/// 300–340 × 200–240 mm with skin, subcutaneous fat and chest-wall muscle; ribs (cortical shell, marrow, costal
/// cartilage) that slope down anteriorly so each slice cuts them at different places; sternum, scapulae,
/// clavicles; the thoracic spine (cancellous bodies in cortical shells, discs, canal, posterior elements); two
/// lungs with a gravity gradient and mild smooth texture, apices and diaphragm domes (right higher) with
/// posterior recesses; branching pulmonary arteries and veins (Murray's-law radii, tapering) and bronchi beside
/// the arteries; trachea and main bronchi; heart in epicardial fat; aorta (ascending, arch, descending), venae
/// cavae, pulmonary trunk, supra-aortic vessels, oesophagus, all in mediastinal fat; liver, spleen and stomach
/// below the diaphragm. With the default options the lung apices lie at z = 150…165 mm and the posterior
/// recesses at z = −160…−115 mm, so z ∈ [−150, 150] mm covers the thorax (beyond it the body continues as neck
/// or upper abdomen). Set <see cref="ChestTissueHu.MediastinalFat"/> to the muscle value for a uniform
/// soft-tissue mediastinum.</para>
/// <para>Random findings (see <see cref="ChestPhantomOptions"/>): nodules (solid, part-solid, ground-glass)
/// wholly inside aerated lung; emphysema regions; a free pleural effusion posteriorly on one side. They are
/// recorded in <see cref="PhantomFindings"/> exactly as drawn.</para>
/// </remarks>
public sealed class ChestPhantom : IPhantomGenerator
{
    private readonly ChestPhantomOptions _options;

    /// <summary>Creates the generator.</summary>
    /// <param name="options">Options; null for defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ChestPhantom(ChestPhantomOptions? options = null)
    {
        _options = options ?? new ChestPhantomOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "chest";

    /// <summary>The options in use.</summary>
    public ChestPhantomOptions Options => _options;

    /// <inheritdoc/>
    public PhantomCase Generate(VolumeGrid grid, int seed)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        var anatomy = new ChestAnatomy(seed, _options);
        ChestPathology pathology = ChestPathology.Create(anatomy);
        float[] values = SupersampledRenderer.Render(grid, _options.Supersample,
            (in SubsamplePlane plane, float[] subsamples) => RenderSlice(anatomy, pathology, plane, subsamples));
        return new PhantomCase(new CtVolume(grid, values, VolumeUnit.Hounsfield), Describe(anatomy, pathology, seed));
    }

    /// <summary>The ground truth of the case <paramref name="seed"/> without rendering a volume.</summary>
    public PhantomFindings Findings(int seed)
    {
        var anatomy = new ChestAnatomy(seed, _options);
        return Describe(anatomy, ChestPathology.Create(anatomy), seed);
    }

    private static void RenderSlice(ChestAnatomy anatomy, ChestPathology pathology, in SubsamplePlane plane, float[] values)
    {
        var section = new ChestSection(anatomy, pathology, plane.ZMm);
        var lung = new byte[plane.Width * plane.Height];
        for (int row = 0; row < plane.Height; row++)
        {
            double y = plane.YMm(row);
            int offset = row * plane.Width;
            for (int col = 0; col < plane.Width; col++)
            {
                values[offset + col] = section.Sample(plane.XMm(col), y, out ChestRegion region);
                lung[offset + col] = region is ChestRegion.RightLung or ChestRegion.LeftLung ? (byte)1 : (byte)0;
            }
        }
        // Trees only where the base anatomy is aerated lung (clipped at pleura, mediastinum and effusion).
        SliceSplatter.Tubes(plane, values, lung, anatomy.VesselTubes);
        SliceSplatter.Tubes(plane, values, lung, anatomy.AirwayWallTubes);
        SliceSplatter.Tubes(plane, values, lung, anatomy.AirwayLumenTubes);
        foreach (NoduleFinding n in pathology.Nodules)
        {
            var center = new Vector3Mm(n.Center.XMm, n.Center.YMm, n.Center.ZMm);
            SliceSplatter.Ball(plane, values, center, n.DiameterMm / 2, (float)n.DensityHu);
            if (n.SolidComponentDiameterMm is double core && n.SolidComponentDensityHu is double coreHu)
            {
                SliceSplatter.Ball(plane, values, center, core / 2, (float)coreHu);
            }
        }
    }

    private PhantomFindings Describe(ChestAnatomy a, ChestPathology p, int seed)
    {
        int vertebra = a.NearestVertebra(a.HeartZMm);
        var landmarks = new ChestLandmarks(
            BodyWidthMm: ImplicitShapes.Round1(2 * a.HalfWidthMm),
            BodyDepthMm: ImplicitShapes.Round1(2 * a.HalfDepthMm),
            LungApexZMm: ImplicitShapes.Round1(a.ApexZMm),
            CarinaZMm: ImplicitShapes.Round1(a.CarinaZMm),
            RightDiaphragmDomeZMm: ImplicitShapes.Round1(a.RightDomeZMm),
            LeftDiaphragmDomeZMm: ImplicitShapes.Round1(a.LeftDomeZMm),
            LungBaseZMm: ImplicitShapes.Round1(a.RecessZMm),
            HeartCenter: a.HeartCenter.ToRoundedPoint(),
            RightLungPoint: LungReferencePoint(a, p, BodySide.Right).ToPoint(),
            LeftLungPoint: LungReferencePoint(a, p, BodySide.Left).ToPoint(),
            VertebralBodyCenter: new Vector3Mm(0, a.VertebraYMm, a.VertebraZMm(vertebra)).ToRoundedPoint(),
            DescendingAortaCenter: AortaAt(a, a.HeartZMm).ToPoint());
        return new PhantomFindings(Name, seed)
        {
            Chest = landmarks,
            Nodules = [.. p.Nodules],
            Emphysema = [.. p.EmphysemaFindings],
            PleuralEffusions = [.. p.EffusionFindings],
        };
    }

    /// <summary>A point of plain aerated lung: mid-zone, away from hilum, pleura, nodules and emphysema.</summary>
    private static Vector3Mm LungReferencePoint(ChestAnatomy a, ChestPathology p, BodySide side)
    {
        double sign = side == BodySide.Right ? -1 : 1;
        ChestRegion wanted = side == BodySide.Right ? ChestRegion.RightLung : ChestRegion.LeftLung;
        foreach (double dz in new[] { -40.0, -20, -60, 0, -80 })
        {
            foreach (double fx in new[] { 0.65, 0.55, 0.75 })
            {
                foreach (double fy in new[] { -0.3, 0.0, -0.5, 0.3 })
                {
                    var q = new Vector3Mm(
                        ImplicitShapes.Round1(sign * fx * a.CavityHalfWidthMm),
                        ImplicitShapes.Round1(fy * (fy < 0 ? a.CavityAnteriorMm : a.CavityPosteriorMm)),
                        ImplicitShapes.Round1(a.CarinaZMm + dz));
                    bool clear = p.EmphysemaRegions.All(e => e.Radius2(q.X, q.Y, q.Z) > 1.5 * 1.5)
                        && p.Nodules.All(n => (new Vector3Mm(n.Center.XMm, n.Center.YMm, n.Center.ZMm) - q).Length > n.DiameterMm / 2 + 10);
                    if (clear && p.InsideLung(a, side, q, 8))
                    {
                        return q;
                    }
                }
            }
        }
        throw new InvalidOperationException($"No plain {side} lung reference point found; the layout options are inconsistent.");
    }

    private static Vector3Mm AortaAt(ChestAnatomy a, double z)
    {
        IReadOnlyList<Vector3Mm> line = a.DescendingAorta;
        for (int i = 1; i < line.Count; i++)
        {
            Vector3Mm p0 = line[i - 1], p1 = line[i];
            if ((z - p0.Z) * (z - p1.Z) <= 0 && p0.Z != p1.Z)
            {
                double t = (z - p0.Z) / (p1.Z - p0.Z);
                Vector3Mm q = p0 + t * (p1 - p0);
                return new Vector3Mm(ImplicitShapes.Round1(q.X), ImplicitShapes.Round1(q.Y), ImplicitShapes.Round1(z));
            }
        }
        throw new InvalidOperationException($"The descending aorta does not reach z = {z} mm.");
    }
}
