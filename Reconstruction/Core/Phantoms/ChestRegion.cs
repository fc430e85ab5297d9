namespace FedNano.Reconstruction.Phantoms;

/// <summary>What a point of the chest phantom belongs to, as far as findings and vessel clipping care.</summary>
internal enum ChestRegion : byte
{
    /// <summary>Anything that is not lung parenchyma or pleural fluid.</summary>
    Other = 0,

    /// <summary>Right lung parenchyma.</summary>
    RightLung = 1,

    /// <summary>Left lung parenchyma.</summary>
    LeftLung = 2,

    /// <summary>Pleural fluid.</summary>
    Effusion = 3,
}
