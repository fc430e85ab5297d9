using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Workflows;

/// <summary>A simulated examination: what was asked for, the ground truth, and the raw scan.</summary>
/// <param name="Request">The simulation settings.</param>
/// <param name="Truth">Ground-truth HU volume on <see cref="SimulationRequest.TruthGrid"/>, with its findings.</param>
/// <param name="Scan">The simulated helical projection data.</param>
public sealed record SimulatedCase(SimulationRequest Request, PhantomCase Truth, ProjectionScan Scan);
