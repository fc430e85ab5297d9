namespace FedNano.Reconstruction.Training;

/// <summary>One training pair: the cascade's input for a slice of a sparse noisy scan and its two targets.</summary>
/// <param name="Seed">Patient (phantom seed).</param>
/// <param name="IncidentPhotons">I0 of the sparse scan.</param>
/// <param name="SliceZMm">Slice position.</param>
/// <param name="Input">Cascade input [C<sub>in</sub>, views, channels] (interpolated sinogram, mask, neighbours).</param>
/// <param name="TargetSinogram">Line integrals of the same slice from a dense noiseless scan [views, channels].</param>
/// <param name="TruthMu">The phantom slice in μ (1/mm) [N, N].</param>
public sealed record TrainingSample(int Seed, double IncidentPhotons, double SliceZMm, float[] Input, float[] TargetSinogram, float[] TruthMu);
