namespace FedNano.Reconstruction.Phantoms;

/// <summary>Attenuation (HU) of the head phantom's tissues (non-contrast values; all below 3000).</summary>
public sealed record HeadTissueHu
{
    /// <summary>Air outside and in the sinuses, nasal cavity and airway.</summary>
    public double Air { get; init; } = -1000;

    /// <summary>Subcutaneous fat.</summary>
    public double Fat { get; init; } = -90;

    /// <summary>Orbital fat.</summary>
    public double OrbitalFat { get; init; } = -80;

    /// <summary>Skin and scalp.</summary>
    public double Scalp { get; init; } = 30;

    /// <summary>Muscle and other soft tissue (face, tongue, neck).</summary>
    public double Muscle { get; init; } = 45;

    /// <summary>Cerebral white matter.</summary>
    public double WhiteMatter { get; init; } = 28;

    /// <summary>Cortical and deep grey matter.</summary>
    public double GreyMatter { get; init; } = 38;

    /// <summary>Cerebrospinal fluid (ventricles, subarachnoid space, canal).</summary>
    public double Csf { get; init; } = 5;

    /// <summary>Vitreous of the globe.</summary>
    public double Vitreous { get; init; } = 10;

    /// <summary>Lens of the eye.</summary>
    public double Lens { get; init; } = 110;

    /// <summary>Cortical bone: skull tables, mandibular and vertebral cortex, zygoma.</summary>
    public double CorticalBone { get; init; } = 1400;

    /// <summary>Diploë and cancellous bone (mandible, maxilla, vertebral bodies).</summary>
    public double CancellousBone { get; init; } = 500;

    /// <summary>Skull base, sinus and orbital walls (thin bone, partly averaged).</summary>
    public double ThinBone { get; init; } = 900;

    /// <summary>Petrous temporal bone.</summary>
    public double PetrousBone { get; init; } = 1500;

    /// <summary>Ethmoid and mastoid air cells (air and thin septa together).</summary>
    public double AirCells { get; init; } = -600;

    /// <summary>Tooth enamel.</summary>
    public double Enamel { get; init; } = 2500;

    /// <summary>Dentin (crown and root).</summary>
    public double Dentin { get; init; } = 1500;

    /// <summary>Dental pulp.</summary>
    public double Pulp { get; init; } = 40;

    /// <summary>Checks that every value lies in −1024..2999 (teeth stay below 3000 HU).</summary>
    /// <exception cref="ArgumentException">A value is outside that range.</exception>
    public void Validate()
    {
        (string Name, double Value)[] all =
        [
            (nameof(Air), Air), (nameof(Fat), Fat), (nameof(OrbitalFat), OrbitalFat), (nameof(Scalp), Scalp),
            (nameof(Muscle), Muscle), (nameof(WhiteMatter), WhiteMatter), (nameof(GreyMatter), GreyMatter), (nameof(Csf), Csf),
            (nameof(Vitreous), Vitreous), (nameof(Lens), Lens), (nameof(CorticalBone), CorticalBone),
            (nameof(CancellousBone), CancellousBone), (nameof(ThinBone), ThinBone), (nameof(PetrousBone), PetrousBone),
            (nameof(AirCells), AirCells), (nameof(Enamel), Enamel), (nameof(Dentin), Dentin), (nameof(Pulp), Pulp),
        ];
        foreach ((string name, double value) in all)
        {
            if (!(value >= -1024 && value < 3000))
            {
                throw new ArgumentException($"Head tissue {name} = {value} HU is outside -1024..2999.", name);
            }
        }
    }
}
