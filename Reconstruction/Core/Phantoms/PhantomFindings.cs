namespace FedNano.Reconstruction.Phantoms;

/// <summary>Ground truth of a generated phantom (placeholder: the phantom work replaces this file).</summary>
/// <param name="Phantom">Generator name.</param>
/// <param name="Seed">Seed it was generated with.</param>
public sealed record PhantomFindings(string Phantom, int Seed);
