namespace FedNano.Reconstruction.Phantoms;

/// <summary>Attenuation (HU) of the chest phantom's tissues (non-contrast CT values).</summary>
public sealed record ChestTissueHu
{
    /// <summary>Air outside the body and in the airways.</summary>
    public double Air { get; init; } = -1000;

    /// <summary>Subcutaneous fat.</summary>
    public double Fat { get; init; } = -100;

    /// <summary>
    /// Mediastinal and epicardial fat around the heart, great vessels and airways (set it to <see cref="Muscle"/>'s
    /// value for a uniform soft-tissue mediastinum).
    /// </summary>
    public double MediastinalFat { get; init; } = -100;

    /// <summary>Skin, skeletal muscle, diaphragm and other unspecified soft tissue.</summary>
    public double Muscle { get; init; } = 40;

    /// <summary>Heart, great vessels and pulmonary vessels (unenhanced blood).</summary>
    public double Blood { get; init; } = 40;

    /// <summary>Mean lung parenchyma (before the per-case offset, gravity gradient and texture).</summary>
    public double Lung { get; init; } = -855;

    /// <summary>Anterior-to-posterior increase of lung attenuation in a supine patient (dependent lung is denser).</summary>
    public double LungGravityGradient { get; init; } = 40;

    /// <summary>Airway walls (trachea, bronchi).</summary>
    public double AirwayWall { get; init; } = 30;

    /// <summary>Costal cartilage.</summary>
    public double Cartilage { get; init; } = 120;

    /// <summary>Cancellous (trabecular) bone: vertebral bodies, rib and sternal marrow.</summary>
    public double CancellousBone { get; init; } = 250;

    /// <summary>Cortical bone: vertebral shells, posterior elements, ribs, sternum, scapulae, clavicles.</summary>
    public double CorticalBone { get; init; } = 700;

    /// <summary>Intervertebral discs.</summary>
    public double Disc { get; init; } = 80;

    /// <summary>Spinal canal (cord and CSF).</summary>
    public double SpinalCanal { get; init; } = 20;

    /// <summary>Liver.</summary>
    public double Liver { get; init; } = 58;

    /// <summary>Spleen.</summary>
    public double Spleen { get; init; } = 48;

    /// <summary>Stomach contents below the air–fluid level.</summary>
    public double StomachContents { get; init; } = 25;

    /// <summary>Checks that every value is finite and within the CT range −1024..3071.</summary>
    /// <exception cref="ArgumentException">A value is outside that range.</exception>
    public void Validate()
    {
        (string Name, double Value)[] all =
        [
            (nameof(Air), Air), (nameof(Fat), Fat), (nameof(MediastinalFat), MediastinalFat), (nameof(Muscle), Muscle), (nameof(Blood), Blood), (nameof(Lung), Lung),
            (nameof(AirwayWall), AirwayWall), (nameof(Cartilage), Cartilage), (nameof(CancellousBone), CancellousBone),
            (nameof(CorticalBone), CorticalBone), (nameof(Disc), Disc), (nameof(SpinalCanal), SpinalCanal),
            (nameof(Liver), Liver), (nameof(Spleen), Spleen), (nameof(StomachContents), StomachContents),
        ];
        foreach ((string name, double value) in all)
        {
            if (!(value >= -1024 && value <= 3071))
            {
                throw new ArgumentException($"Chest tissue {name} = {value} HU is outside -1024..3071.", name);
            }
        }
        if (!double.IsFinite(LungGravityGradient) || Math.Abs(LungGravityGradient) > 300)
        {
            throw new ArgumentException($"Lung gravity gradient {LungGravityGradient} HU must be finite and within ±300.", nameof(LungGravityGradient));
        }
    }
}
