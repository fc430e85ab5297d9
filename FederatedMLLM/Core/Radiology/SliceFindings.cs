namespace FedNano.FederatedMLLM.Radiology;

/// <summary>Which lung or pleural space.</summary>
public enum Side
{
    /// <summary>Patient's right.</summary>
    Right,

    /// <summary>Patient's left.</summary>
    Left,
}

/// <summary>A pulmonary nodule seen in the image.</summary>
/// <param name="Side">Its lung.</param>
/// <param name="Lobe">Its lobe ("upper", "middle", "lower").</param>
/// <param name="DiameterMm">Its diameter (mm).</param>
/// <param name="Type">"solid", "part-solid" or "ground-glass".</param>
public sealed record Nodule(Side Side, string Lobe, double DiameterMm, string Type);

/// <summary>A pleural effusion seen in the image.</summary>
/// <param name="Side">Its pleural space.</param>
/// <param name="DepthMm">Greatest fluid depth (mm).</param>
public sealed record Effusion(Side Side, double DepthMm);

/// <summary>
/// The ground truth of one image (an axial CT slice or a small stack): what a reader could see in it. Reports and
/// question–answer pairs are written from this, so every answer is checkable.
/// </summary>
/// <param name="Nodules">Nodules in the image.</param>
/// <param name="EmphysemaSides">Lungs with emphysema in the image.</param>
/// <param name="Effusions">Effusions in the image.</param>
public sealed record SliceFindings(IReadOnlyList<Nodule> Nodules, IReadOnlyList<Side> EmphysemaSides, IReadOnlyList<Effusion> Effusions)
{
    /// <summary>No finding at all.</summary>
    public bool IsNormal => Nodules.Count == 0 && EmphysemaSides.Count == 0 && Effusions.Count == 0;

    /// <summary>The finding types present, for partitioning data by finding ("nodule", "emphysema", "effusion", "normal").</summary>
    public IReadOnlyList<string> Kinds()
    {
        var kinds = new List<string>();
        if (Nodules.Count > 0) kinds.Add("nodule");
        if (EmphysemaSides.Count > 0) kinds.Add("emphysema");
        if (Effusions.Count > 0) kinds.Add("effusion");
        if (kinds.Count == 0) kinds.Add("normal");
        return kinds;
    }

    /// <summary>The size bucket of a nodule diameter, as reports and answers use it.</summary>
    public static string SizeBucket(double diameterMm) => diameterMm < 6 ? "small" : diameterMm <= 10 ? "medium" : "large";
}
