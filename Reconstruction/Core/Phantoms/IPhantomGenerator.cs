using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Generates a phantom case on any voxel grid. Generators describe anatomy continuously in mm, so the grid only
/// decides where it is sampled: the anatomy and its findings depend on the seed alone (Shepp–Logan scales to the
/// grid unless given a radius), and the same seed and grid give bit-identical volumes.
/// </summary>
public interface IPhantomGenerator
{
    /// <summary>The catalog name of the phantom (e.g. "chest").</summary>
    string Name { get; }

    /// <summary>Renders the phantom on <paramref name="grid"/> in Hounsfield units, with its ground truth.</summary>
    /// <param name="grid">Where to sample.</param>
    /// <param name="seed">Selects the random anatomy and findings.</param>
    /// <exception cref="ArgumentException">The grid is invalid.</exception>
    PhantomCase Generate(VolumeGrid grid, int seed);
}
