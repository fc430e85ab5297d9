namespace FedNano.Reconstruction.Phantoms;

/// <summary>What a point of the head phantom belongs to, as far as lesion placement cares.</summary>
internal enum HeadRegion : byte
{
    /// <summary>Anything but brain parenchyma.</summary>
    Other = 0,

    /// <summary>Brain parenchyma (grey or white matter, not CSF).</summary>
    Brain = 1,
}
