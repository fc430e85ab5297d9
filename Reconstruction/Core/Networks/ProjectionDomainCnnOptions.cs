using System.Text.Json.Serialization;

namespace FedNano.Reconstruction.Networks;

/// <summary>Layout of the <see cref="ProjectionDomainCnn"/>.</summary>
/// <param name="Features">Feature maps of every hidden layer.</param>
/// <param name="Layers">3×3 convolution layers in all (input and output layer included).</param>
/// <param name="MaxViewDilation">
/// Largest dilation along views of the hidden layers, which use 1, 2, 4, … up to this value (1 = no dilation). A gap
/// in the detector rows becomes a band of views in a rebinned sinogram: on <c>small-sparse</c> (2-row gaps, 9.6 mm
/// feed per 576 views) about 72 views wide, so a sample in its middle is 36 views from measured data. The defaults
/// (8 layers, dilations 1, 1, 2, 4, 8, 16, 16, 1) see 49 views either side.
/// </param>
/// <param name="NeighbourSlicesPerSide">
/// k: rebinned sinograms of k virtual slices below and k above the target slice are added as input channels.
/// </param>
/// <param name="NeighbourSliceSpacingMm">z distance (mm) between neighbouring virtual slices (0 when k = 0).</param>
/// <param name="LineIntegralScale">
/// Fixed scale the sinogram channels are divided by inside the network (and the correction multiplied by), so that
/// body line integrals (0 to about 8: 400 mm of water is 7.7) are of order one for the convolutions.
/// </param>
public sealed record ProjectionDomainCnnOptions(
    int Features = 32,
    int Layers = 8,
    int MaxViewDilation = 16,
    int NeighbourSlicesPerSide = 0,
    double NeighbourSliceSpacingMm = 0.0,
    double LineIntegralScale = 4.0)
{
    /// <summary>
    /// Input channels: 2 (rebinned sinogram with gap rows interpolated, measured mask) + 2k neighbouring sinograms.
    /// </summary>
    [JsonIgnore]
    public int InputChannels => 2 + 2 * NeighbourSlicesPerSide;

    /// <summary>View dilation of layer <paramref name="layer"/> (0-based): 1 for the first and last layer.</summary>
    public int ViewDilation(int layer)
    {
        if (layer <= 0 || layer >= Layers - 1)
        {
            return 1;
        }
        return Math.Min(1 << Math.Min(layer - 1, 20), MaxViewDilation);
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Features < 1 || Features > 1024)
        {
            throw new ArgumentException($"Projection CNN: features {Features} outside 1..1024.");
        }
        if (Layers < 2 || Layers > 64)
        {
            throw new ArgumentException($"Projection CNN: layers {Layers} outside 2..64 (input and output layer included).");
        }
        if (MaxViewDilation < 1 || MaxViewDilation > 1024)
        {
            throw new ArgumentException($"Projection CNN: max view dilation {MaxViewDilation} outside 1..1024.");
        }
        if (NeighbourSlicesPerSide < 0 || NeighbourSlicesPerSide > 16)
        {
            throw new ArgumentException($"Projection CNN: neighbour slices per side {NeighbourSlicesPerSide} outside 0..16.");
        }
        if (NeighbourSlicesPerSide > 0 && !(NeighbourSliceSpacingMm > 0 && double.IsFinite(NeighbourSliceSpacingMm)))
        {
            throw new ArgumentException(
                $"Projection CNN: {NeighbourSlicesPerSide} neighbour slices per side need a positive neighbour slice spacing (got {NeighbourSliceSpacingMm} mm).");
        }
        if (NeighbourSlicesPerSide == 0 && NeighbourSliceSpacingMm != 0)
        {
            throw new ArgumentException(
                $"Projection CNN: a neighbour slice spacing ({NeighbourSliceSpacingMm} mm) without neighbour slices; set it to 0.");
        }
        if (!(LineIntegralScale > 0 && double.IsFinite(LineIntegralScale)))
        {
            throw new ArgumentException($"Projection CNN: line-integral scale {LineIntegralScale} must be positive and finite.");
        }
    }
}
