using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Tests.DicomIo;
using FedNano.Reconstruction.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Networks;

[Collection(CascadeCollection.Name)]
public sealed class CheckpointTests
{
    [Fact]
    public void Loaded_cascade_reproduces_the_saved_cascades_outputs_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory();
        manual_seed(21);
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());
        var input = CascadeTestData.GappedInput(CascadeTestData.TrueSinograms(0.0, 20.0));
        Train(cascade, input, steps: 3); // weights away from their initial values
        var expected = cascade.ForwardAll(input);
        string path = folder.Sub("model.fnddckpt");

        NetworkCheckpoint.Save(path, cascade);
        manual_seed(99); // the fresh modules start from other random weights
        using var loaded = NetworkCheckpoint.Read(path).CreateCascade();
        var actual = loaded.ForwardAll(input);

        Assert.Equal(cascade.Config, loaded.Config);
        Assert.True(CascadeTestData.Identical(actual.Sinogram, expected.Sinogram));
        Assert.True(CascadeTestData.Identical(actual.FbpImage, expected.FbpImage));
        Assert.True(CascadeTestData.Identical(actual.RefinedImage, expected.RefinedImage));
    }

    [Fact]
    public void Checkpoint_for_another_geometry_is_rejected_naming_the_mismatch()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory();
        var config = CascadeTestData.TinyConfig();
        using var cascade = CascadeTestData.Cascade(config);
        string path = folder.Sub("model.fnddckpt");
        NetworkCheckpoint.Save(path, cascade);
        var checkpoint = NetworkCheckpoint.Read(path);
        var otherScanner = config.Geometry with { Channels = 40, ViewsPerRotation = 72 };

        var byGeometry = Assert.Throws<NetworkCheckpointMismatchException>(() =>
            checkpoint.RequireGeometry(otherScanner, SparseRowPattern.Parse("4x2g2", 16), config.Grid));
        var byConfig = Assert.Throws<NetworkCheckpointMismatchException>(() =>
            NetworkCheckpoint.Load(path, config with { RowPattern = "2x4g4", ImageSize = 64 }));

        Assert.Equal(["geometry.channels", "geometry.viewsPerRotation"], byGeometry.Mismatches.Select(m => m.Field));
        Assert.Contains("geometry.channels: expected 40, checkpoint has 48", byGeometry.Message, StringComparison.Ordinal);
        Assert.Equal(["rowPattern", "imageSize"], byConfig.Mismatches.Select(m => m.Field));
        Assert.Contains("rowPattern: expected 2x4g4@2, checkpoint has 4x2g2@1", byConfig.Message, StringComparison.Ordinal);
        checkpoint.RequireGeometry(config.Geometry, config.ParseRowPattern(), config.Grid); // the right scanner passes
    }

    [Fact]
    public void Resumed_training_continues_exactly_where_the_saved_run_stopped()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory();
        manual_seed(22);
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());
        var input = CascadeTestData.GappedInput(CascadeTestData.TrueSinograms(0.0));
        var optimizer = optim.Adam(cascade.parameters(), lr: 2e-3);
        Train(cascade, input, steps: 3, optimizer);
        string path = folder.Sub("resume.fnddckpt");
        NetworkCheckpoint.Save(path, cascade, new NetworkCheckpointProgress(Epoch: 1, Step: 3), optimizer);

        var checkpoint = NetworkCheckpoint.Read(path);
        using var resumed = checkpoint.CreateCascade();
        var resumedOptimizer = optim.Adam(resumed.parameters(), lr: 2e-3);
        checkpoint.RestoreOptimizer(resumedOptimizer);
        Train(cascade, input, steps: 2, optimizer);
        Train(resumed, input, steps: 2, resumedOptimizer);

        Assert.Equal(new NetworkCheckpointProgress(1, 3), checkpoint.Progress);
        Assert.True(checkpoint.HasOptimizerState);
        Assert.All(cascade.parameters().Zip(resumed.parameters()), pair => Assert.True(CascadeTestData.Identical(pair.First, pair.Second)));
    }

    [Fact]
    public void Checkpoint_of_an_ablation_holds_only_the_enabled_cnn()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory();
        manual_seed(23);
        using var projectionOnly = CascadeTestData.Cascade(CascadeTestData.TinyConfig(imageCnn: false));
        string path = folder.Sub("ablation.fnddckpt");
        var input = rand(1, 2, 64, 48) * 5;

        NetworkCheckpoint.Save(path, projectionOnly);
        var checkpoint = NetworkCheckpoint.Read(path);
        using var loaded = NetworkCheckpoint.Load(path, projectionOnly.Config, TorchRuntime.ResolveDevice("cpu"));

        Assert.False(checkpoint.Config.ImageCnnEnabled);
        Assert.False(checkpoint.HasOptimizerState);
        Assert.Null(loaded.ImageCnn);
        Assert.True(CascadeTestData.Identical(loaded.forward(input), projectionOnly.forward(input)));
        Assert.Throws<InvalidOperationException>(() => checkpoint.RestoreOptimizer(optim.Adam(loaded.parameters())));
    }

    [Fact]
    public void Corrupted_or_foreign_files_are_rejected()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory();
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());
        string path = folder.Sub("model.fnddckpt");
        NetworkCheckpoint.Save(path, cascade);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        string corrupted = folder.Sub("corrupted.fnddckpt");
        File.WriteAllBytes(corrupted, bytes);
        string truncated = folder.Sub("truncated.fnddckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 100)]);
        string foreign = folder.Sub("foreign.bin");
        File.WriteAllText(foreign, "not a checkpoint at all, just some text");

        Assert.Contains("corrupted", Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Read(corrupted)).Message, StringComparison.Ordinal);
        Assert.Contains("corrupted", Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Read(truncated)).Message, StringComparison.Ordinal);
        Assert.Contains("not a FedNano network checkpoint", Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Read(foreign)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => NetworkCheckpoint.Read(folder.Sub("missing.fnddckpt")));
    }

    [Fact]
    public void Saving_replaces_an_existing_checkpoint_without_leaving_temporary_files()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory();
        manual_seed(24);
        using var first = CascadeTestData.Cascade(CascadeTestData.TinyConfig());
        using var second = CascadeTestData.Cascade(CascadeTestData.TinyConfig(projectionCnn: false));
        string path = folder.Sub("model.fnddckpt");

        NetworkCheckpoint.Save(path, first);
        NetworkCheckpoint.Save(path, second);

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.False(NetworkCheckpoint.Read(path).Config.ProjectionCnnEnabled);
    }

    private static void Train(DualDomainCascade cascade, Tensor input, int steps, optim.Optimizer? optimizer = null)
    {
        var truth = cascade.forward(input).detach() * 1.1; // any reachable target will do
        optimizer ??= optim.Adam(cascade.parameters(), lr: 1e-2);
        using var singleThread = new CascadeSingleThread();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(cascade.forward(input), truth).backward();
            optimizer.step();
        }
    }
}
