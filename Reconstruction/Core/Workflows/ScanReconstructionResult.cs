using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Workflows;

/// <summary>A reconstructed volume and how to label it as a CT series.</summary>
/// <param name="Volume">The slices in HU.</param>
/// <param name="SeriesOptions">Description, kernel, method text and windows for <see cref="CtImageSeriesWriter"/>.</param>
/// <param name="StageSeconds">Wall-clock seconds per stage in the order they ran: "set-up", then the per-slice stages of <see cref="StageProfile.Stages"/> summed over slices, and "other".</param>
public sealed record ScanReconstructionResult(CtVolume Volume, CtSeriesOptions SeriesOptions, IReadOnlyDictionary<string, double> StageSeconds);
