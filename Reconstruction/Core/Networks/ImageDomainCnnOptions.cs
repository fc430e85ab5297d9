namespace FedNano.Reconstruction.Networks;

/// <summary>Layout of the <see cref="ImageDomainCnn"/> (a residual U-Net).</summary>
/// <param name="BaseFeatures">Feature maps at full resolution; they double at every coarser level.</param>
/// <param name="Levels">Resolution levels, full resolution included (2 = one down-sampling).</param>
public sealed record ImageDomainCnnOptions(int BaseFeatures = 32, int Levels = 3)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (BaseFeatures < 1 || BaseFeatures > 512)
        {
            throw new ArgumentException($"Image CNN: base features {BaseFeatures} outside 1..512.");
        }
        if (Levels < 1 || Levels > 6)
        {
            throw new ArgumentException($"Image CNN: levels {Levels} outside 1..6.");
        }
    }

    /// <summary>Feature maps at level <paramref name="level"/> (0 = full resolution).</summary>
    public int FeaturesAt(int level) => BaseFeatures << level;
}
