namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// Hounsfield units → [0, 1] model input through a display window (level, width); the default is a lung window
/// (level −600, width 1500), which shows parenchyma, nodules and fluid alike.
/// </summary>
/// <param name="LevelHu">Window centre (HU).</param>
/// <param name="WidthHu">Window width (HU).</param>
public sealed record CtWindow(double LevelHu = -600, double WidthHu = 1500)
{
    /// <summary>The value of one pixel in [0, 1].</summary>
    public float Apply(double hu)
    {
        double v = (hu - (LevelHu - WidthHu / 2)) / WidthHu;
        return (float)Math.Clamp(v, 0, 1);
    }

    /// <summary>Every pixel of <paramref name="hu"/>.</summary>
    public float[] Apply(ReadOnlySpan<float> hu)
    {
        var result = new float[hu.Length];
        for (int i = 0; i < hu.Length; i++) result[i] = Apply(hu[i]);
        return result;
    }
}
