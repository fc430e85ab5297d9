using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Workflows;

/// <summary>A simulation request made ready for projection (see <see cref="CaseSimulator.Prepare"/>).</summary>
/// <param name="Request">The request.</param>
/// <param name="Plan">Views covering the truth slices.</param>
/// <param name="RowPattern">Rows the scan measures.</param>
/// <param name="Object">The phantom in HU, rendered over every z a ray of the plan reaches.</param>
/// <param name="Truth">The truth slab (the requested slices) and the phantom's findings.</param>
/// <param name="Noise">Transmission noise, or null for noiseless data.</param>
/// <param name="Metadata">Patient and study attributes of the scan.</param>
public sealed record PreparedCase(
    SimulationRequest Request,
    HelicalScanPlan Plan,
    SparseRowPattern RowPattern,
    CtVolume Object,
    PhantomCase Truth,
    NoiseOptions? Noise,
    ScanMetadata Metadata);
