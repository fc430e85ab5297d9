using System.Diagnostics;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Reconstructs a helical scan slice by slice with a trained <see cref="DualDomainCascade"/>: builds each slice's input
/// (rebinned sparse sinogram, mask), runs the cascade on batches of slices, and returns the volume in HU.
/// </summary>
public sealed class DualDomainReconstructor
{
    private readonly DualDomainCascade _cascade;
    private readonly Device _device;

    /// <summary>Wraps a cascade (which stays owned by the caller).</summary>
    /// <param name="cascade">The trained cascade, on <paramref name="device"/>.</param>
    /// <param name="device">Where the cascade runs (null: CPU).</param>
    /// <param name="batchSize">Slices per forward pass.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1.</exception>
    public DualDomainReconstructor(DualDomainCascade cascade, Device? device = null, int batchSize = 4)
    {
        ArgumentNullException.ThrowIfNull(cascade);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _cascade = cascade;
        _device = device ?? CPU;
        BatchSize = batchSize;
    }

    /// <summary>Slices per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>The network's configuration.</summary>
    public DualDomainConfig Config => _cascade.Config;

    /// <summary>Time the last <see cref="Reconstruct"/> spent per slice (input building and network), seconds.</summary>
    public double LastSecondsPerSlice { get; private set; }

    /// <summary>Slice positions this network can reconstruct from <paramref name="scan"/>.</summary>
    /// <exception cref="NetworkCheckpointMismatchException">The scan does not fit the network.</exception>
    public (double MinZMm, double MaxZMm) SliceRange(ProjectionScan scan) => new DualDomainInputBuilder(scan, Config).SliceRange;

    /// <summary>Reconstructs the slices of <paramref name="grid"/> (whose image size and pixel spacing must be the network's).</summary>
    /// <param name="scan">The projection data.</param>
    /// <param name="grid">Slice positions; its image size and pixel spacing must be the network's.</param>
    /// <param name="progress">Receives the number of slices done.</param>
    /// <param name="cancellationToken">Stops between slice batches.</param>
    /// <param name="profile">When given, receives the time spent in rebinning and in each network stage.</param>
    /// <exception cref="NetworkCheckpointMismatchException">The scan's geometry or row pattern, or the grid, is not the network's.</exception>
    /// <exception cref="ArgumentException">A slice lies outside the range the scan supports.</exception>
    public CtVolume Reconstruct(ProjectionScan scan, VolumeGrid grid, IProgress<int>? progress = null, CancellationToken cancellationToken = default,
        StageProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        var builder = new DualDomainInputBuilder(scan, Config);
        if (grid.Nx != Config.ImageSize || grid.Ny != Config.ImageSize || Math.Abs(grid.PixelSpacingMm - Config.PixelSpacingMm) > 1e-6 * Config.PixelSpacingMm)
        {
            throw new NetworkCheckpointMismatchException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The network reconstructs {Config.ImageSize}x{Config.ImageSize} images at {Config.PixelSpacingMm:G6} mm pixels; the requested grid is {grid.Nx}x{grid.Ny} at {grid.PixelSpacingMm:G6} mm."));
        }
        var (min, max) = builder.SliceRange;
        for (int k = 0; k < grid.Nz; k += Math.Max(1, grid.Nz - 1))
        {
            double z = grid.ZMm(k);
            if (!(z >= min - 1e-6 && z <= max + 1e-6))
            {
                throw new ArgumentException(
                    $"Slice z = {z:F2} mm is outside the range this scan supports for the dual-domain network: [{min:F2}, {max:F2}] mm.", nameof(grid));
            }
        }
        var clock = Stopwatch.StartNew();
        int plane = grid.Nx * grid.Ny;
        var values = new float[grid.VoxelCount];
        var g = Config.Geometry;
        int inputLength = builder.InputLength;
        double muWater = Config.MuWaterPerMm;
        _cascade.eval();
        for (int first = 0; first < grid.Nz; first += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchSize, grid.Nz - first);
            var inputs = new float[count * inputLength];
            profile?.Skip();
            for (int b = 0; b < count; b++)
            {
                builder.Build(grid.ZMm(first + b), inputs.AsSpan(b * inputLength, inputLength));
            }
            profile?.Lap(StageProfile.Stages.Rebinning);
            float[] mu;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var input = tensor(inputs, [count, Config.ProjectionCnn.InputChannels, g.ViewsPerRotation, g.Channels]).to(_device);
                var (_, _, refined) = _cascade.ForwardAll(input, profile);
                mu = refined.cpu().data<float>().ToArray();
            }
            for (int i = 0; i < count * plane; i++)
            {
                values[first * plane + i] = (float)(1000.0 * (mu[i] - muWater) / muWater);
            }
            progress?.Report(first + count);
        }
        LastSecondsPerSlice = clock.Elapsed.TotalSeconds / grid.Nz;
        return new CtVolume(grid, values, VolumeUnit.Hounsfield);
    }
}
