using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Tests.DicomIo;
using FedNano.Reconstruction.Tests.Networks;
using FedNano.Reconstruction.Training;

namespace FedNano.Reconstruction.Tests.Training;

/// <summary>Simulated training patients on a coarse 64² grid of the sparse demo scanner (a few seconds each).</summary>
[Collection(CascadeCollection.Name)]
public sealed class TrainingSetGeneratorTests
{
    private static readonly TrainingDataOptions Data = new()
    {
        ImageSize = 64,
        TrainingSeeds = [5],
        SlicesPerPatient = 2,
        SliceSpacingMm = 4.5,
        IncidentPhotons = [1e5],
    };

    private static DualDomainConfig Config => DualDomainConfig.ForPreset(Data.Geometry, Data.ImageSize, Data.FieldOfViewMm);

    [Fact]
    public void Patient_gives_its_slices_at_the_sample_spacing_around_its_centre_with_inputs_targets_and_truth()
    {
        var samples = new TrainingSetGenerator(Data, Config).Patient(5);

        var g = Config.Geometry;
        Assert.Equal(2, samples.Count);
        Assert.Equal(4.5, samples[1].SliceZMm - samples[0].SliceZMm, 9);
        Assert.Equal(Data.CenterZMm(5), (samples[0].SliceZMm + samples[1].SliceZMm) / 2, 9);
        Assert.All(samples, s =>
        {
            Assert.Equal(Config.ProjectionCnn.InputChannels * g.ViewsPerRotation * g.Channels, s.Input.Length);
            Assert.Equal(g.ViewsPerRotation * g.Channels, s.TargetSinogram.Length);
            Assert.Equal(64 * 64, s.TruthMu.Length);
            Assert.All(s.Input, v => Assert.True(float.IsFinite(v)));
        });
        Assert.NotEqual(samples[0].TruthMu, samples[1].TruthMu); // different anatomy, not one slice twice
    }

    [Fact]
    public void Helix_phase_moves_the_gap_mask_of_the_same_slice()
    {
        var withPhase = new TrainingSetGenerator(Data, Config).Patient(5)[0];
        var without = new TrainingSetGenerator(Data with { RandomizeHelixPhase = false }, Config).Patient(5)[0];

        int plane = Config.Geometry.ViewsPerRotation * Config.Geometry.Channels;
        var maskA = withPhase.Input.AsSpan(plane, plane).ToArray();
        var maskB = without.Input.AsSpan(plane, plane).ToArray();
        Assert.Equal(withPhase.TruthMu, without.TruthMu);
        Assert.Equal(maskA.Sum(), maskB.Sum(), 0.02 * plane); // the same share of the sinogram is gap...
        Assert.NotEqual(maskA, maskB); // ...in other views
    }

    [Fact]
    public void Cached_patient_reads_back_identical_samples()
    {
        using var folder = new TempDirectory();
        var first = new TrainingSetGenerator(Data, Config, folder.Path).Patient(5);
        var cached = new TrainingSetGenerator(Data, Config, folder.Path).Patient(5);

        Assert.Single(Directory.GetFiles(folder.Path));
        Assert.Equal(first.Select(s => s.SliceZMm), cached.Select(s => s.SliceZMm));
        Assert.Equal(first[1].Input, cached[1].Input);
        Assert.Equal(first[1].TargetSinogram, cached[1].TargetSinogram);
    }

    [Fact]
    public void Sample_spacing_that_is_not_a_multiple_of_the_render_spacing_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainingSetGenerator(Data with { SliceSpacingMm = 4 }, Config));

        Assert.Contains("whole multiple of the render spacing 1.5 mm", error.Message, StringComparison.Ordinal);
    }
}
