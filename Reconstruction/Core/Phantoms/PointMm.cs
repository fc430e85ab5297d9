namespace FedNano.Reconstruction.Phantoms;

/// <summary>A point in the scanner frame (mm): x to the patient's left, y posterior, z towards the head.</summary>
/// <param name="XMm">x (mm), positive towards the patient's left.</param>
/// <param name="YMm">y (mm), positive towards the patient's back.</param>
/// <param name="ZMm">z (mm), positive towards the head.</param>
public sealed record PointMm(double XMm, double YMm, double ZMm);
