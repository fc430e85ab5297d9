namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A free pleural effusion as drawn: fluid fills that side's pleural space behind a horizontal (supine: constant
/// y) level, whose depth from the posterior cavity wall grows smoothly from 0 at <see cref="TopZMm"/> to
/// <see cref="DepthMm"/> at <see cref="FullZMm"/> and below.
/// </summary>
internal sealed record EffusionShape(BodySide Side, double DepthMm, double TopZMm, double FullZMm, float ValueHu)
{
    public double DepthAtMm(double z) => DepthMm * ImplicitShapes.Smoothstep(TopZMm, FullZMm, z);
}
