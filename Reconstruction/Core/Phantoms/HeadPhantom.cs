using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A procedural adult head with dentition in HU, for generalisation tests (dental and head CT). Continuous in
/// mm, drawn from the seed alone, supersampled in-plane like <see cref="ChestPhantom"/>.
/// </summary>
/// <remarks>
/// Contents (see <see cref="HeadTissueHu"/>): scalp; skull vault with outer and inner tables and diploë; brain
/// with cortex, white matter, deep grey nuclei, lateral, third and fourth ventricles and subarachnoid CSF;
/// skull base with petrous bones and mastoid air cells; orbits (globes, lenses, optic nerves, fat, walls);
/// ethmoid, sphenoid and maxillary sinuses; nasal cavity with septum and turbinates; nose; zygomatic arches;
/// maxilla with hard palate and mandible (body, rami, condyles) holding up to 32 teeth (enamel about 2500 HU over
/// dentin about 1500 HU, pulp; nothing reaches 3000 HU); tongue, oral air, naso- and oropharynx; cervical spine.
/// The head spans roughly z = −110…+125 mm (vertex) with the occlusal plane near z = −60 mm.
/// Random findings: at most one brain lesion (hypo- or hyperdense sphere wholly in parenchyma) and one dental
/// filling (in a premolar or molar crown), recorded in <see cref="PhantomFindings"/> as drawn.
/// </remarks>
public sealed class HeadPhantom : IPhantomGenerator
{
    private readonly HeadPhantomOptions _options;

    /// <summary>Creates the generator.</summary>
    /// <param name="options">Options; null for defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HeadPhantom(HeadPhantomOptions? options = null)
    {
        _options = options ?? new HeadPhantomOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "head";

    /// <summary>The options in use.</summary>
    public HeadPhantomOptions Options => _options;

    /// <inheritdoc/>
    public PhantomCase Generate(VolumeGrid grid, int seed)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        var anatomy = new HeadAnatomy(seed, _options);
        float[] values = SupersampledRenderer.Render(grid, _options.Supersample,
            (in SubsamplePlane plane, float[] subsamples) => RenderSlice(anatomy, plane, subsamples));
        return new PhantomCase(new CtVolume(grid, values, VolumeUnit.Hounsfield), Describe(anatomy, seed));
    }

    /// <summary>The ground truth of the case <paramref name="seed"/> without rendering a volume.</summary>
    public PhantomFindings Findings(int seed) => Describe(new HeadAnatomy(seed, _options), seed);

    private static void RenderSlice(HeadAnatomy anatomy, in SubsamplePlane plane, float[] values)
    {
        double inverse = 1 / anatomy.Scale;
        var section = new HeadSection(anatomy, plane.ZMm * inverse);
        for (int row = 0; row < plane.Height; row++)
        {
            double y = plane.YMm(row) * inverse;
            int offset = row * plane.Width;
            for (int col = 0; col < plane.Width; col++)
            {
                values[offset + col] = section.Sample(plane.XMm(col) * inverse, y, out _);
            }
        }
    }

    private PhantomFindings Describe(HeadAnatomy a, int seed)
    {
        HeadTooth molar = a.Teeth.First(t => t.Fdi == 16);
        var landmarks = new HeadLandmarks(
            HeadWidthMm: ImplicitShapes.Round1(2 * a.SkullOuter.SemiXMm * a.Scale),
            HeadLengthMm: ImplicitShapes.Round1(2 * a.SkullOuter.SemiYMm * a.Scale),
            VertexZMm: ImplicitShapes.Round1((a.ScalpOuter.Center.Z + a.ScalpOuter.SemiZMm) * a.Scale),
            ChinZMm: ImplicitShapes.Round1(-102 * a.Scale),
            OcclusalPlaneZMm: ImplicitShapes.Round1(HeadAnatomy.OcclusalZ * a.Scale),
            BrainPoint: a.ToMm(WhiteMatterPoint(a)).ToRoundedPoint(),
            VentriclePoint: a.ToMm(a.Ventricles[0].Center).ToRoundedPoint(),
            RightEyeCenter: a.ToMm(a.Globes[0].Center).ToRoundedPoint(),
            LeftEyeCenter: a.ToMm(a.Globes[1].Center).ToRoundedPoint(),
            MolarDentinPoint: a.ToMm(new Vector3Mm(molar.CenterX, molar.CenterY, molar.ZAt(0.35 * molar.CrownHeightMm))).ToRoundedPoint());
        return new PhantomFindings(Name, seed)
        {
            Head = landmarks,
            BrainLesions = a.Lesion is { } lesion ? [lesion.Finding] : [],
            DentalFillings = a.Filling is { } filling ? [filling] : [],
        };
    }

    /// <summary>A centrum semiovale point in white matter, on the side away from any lesion.</summary>
    private static Vector3Mm WhiteMatterPoint(HeadAnatomy a)
    {
        foreach (Vector3Mm q in new Vector3Mm[] { new(-28, -10, 55), new(28, -10, 55), new(-28, 20, 50), new(28, 20, 50) })
        {
            bool clear = a.Lesion is not { } lesion || (lesion.Center - q).Length > lesion.RadiusMm + 8;
            var section = new HeadSection(a, q.Z);
            if (clear && section.Sample(q.X, q.Y, out _) == (float)a.Tissue.WhiteMatter)
            {
                return q;
            }
        }
        throw new InvalidOperationException("No white-matter landmark found; the head layout is inconsistent.");
    }
}
