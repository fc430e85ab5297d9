using FedNano.Reconstruction.Training;

namespace FedNano.Reconstruction.Tests.Training;

public sealed class TrainingOptionsTests
{
    [Fact]
    public void Learning_rate_warms_up_linearly_then_decays_by_cosine_to_the_final_fraction()
    {
        var options = new DualDomainTrainingOptions
        {
            EndToEnd = new StageOptions(Steps: 111, BatchSize: 1, LearningRate: 1e-3),
            WarmupSteps = 10,
            FinalLearningRateFraction = 0.05,
        };

        Assert.Equal(1e-4, options.LearningRateAt(TrainingStage.EndToEnd, 0), 12);
        Assert.Equal(5e-4, options.LearningRateAt(TrainingStage.EndToEnd, 4), 12);
        Assert.Equal(1e-3, options.LearningRateAt(TrainingStage.EndToEnd, 10), 12);
        Assert.Equal(1e-3 * (0.05 + 0.95 * 0.5), options.LearningRateAt(TrainingStage.EndToEnd, 60), 12);
        Assert.Equal(5e-5, options.LearningRateAt(TrainingStage.EndToEnd, 110), 12);
        for (int step = 11; step < 111; step++)
        {
            Assert.True(options.LearningRateAt(TrainingStage.EndToEnd, step) <= options.LearningRateAt(TrainingStage.EndToEnd, step - 1));
        }
    }

    [Fact]
    public void Recipe_survives_a_json_round_trip()
    {
        var recipe = new DualDomainRecipe
        {
            Data = new TrainingDataOptions { TrainingSeeds = [3, 4], SlicesPerPatient = 2, IncidentPhotons = [7e4] },
            Training = new DualDomainTrainingOptions { EndToEnd = new StageOptions(7, 1, 3e-4), Seed = 5 },
        };

        var back = DualDomainRecipe.FromJson(recipe.ToJson());

        Assert.Equal(recipe.ToJson(), back.ToJson());
        Assert.Equal([3, 4], back.Data.TrainingSeeds);
        Assert.Equal(7, back.Training.EndToEnd.Steps);
    }

    [Fact]
    public void Recipe_with_an_unknown_field_is_rejected_naming_it()
    {
        string json = new DualDomainRecipe().ToJson().Replace("\"seed\":", "\"seeed\": 1, \"seed\":", StringComparison.Ordinal);

        var error = Assert.Throws<ArgumentException>(() => DualDomainRecipe.FromJson(json));

        Assert.Contains("seeed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_with_an_out_of_range_value_is_rejected()
    {
        string json = new DualDomainRecipe().ToJson().Replace("\"slicesPerPatient\": 8", "\"slicesPerPatient\": 0", StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => DualDomainRecipe.FromJson(json));
    }

    [Fact]
    public void Centre_jitter_is_deterministic_per_seed_and_within_its_bound()
    {
        var data = new TrainingDataOptions();
        var centres = data.TrainingSeeds.Select(data.CenterZMm).ToList();

        Assert.Equal(centres, data.TrainingSeeds.Select(data.CenterZMm));
        Assert.All(centres, c => Assert.InRange(c, -data.CenterZJitterMm, data.CenterZJitterMm));
        Assert.True(centres.Distinct().Count() > data.TrainingSeeds.Count / 2);
    }

    [Fact]
    public void Helix_phase_is_a_whole_view_offset_fixed_per_seed_and_spread_over_the_rotation()
    {
        var data = new TrainingDataOptions();
        var offsets = data.TrainingSeeds.Select(seed => data.StartViewOffset(seed, 720)).ToList();

        Assert.Equal(offsets, data.TrainingSeeds.Select(seed => data.StartViewOffset(seed, 720)));
        Assert.All(offsets, o => Assert.InRange(o, 0, 719));
        Assert.True(offsets.Distinct().Count() >= 20, "25 patients should meet the gaps at (nearly) 25 phases");
        Assert.True(offsets.Max() - offsets.Min() > 360, "the phases should span most of a rotation");
        Assert.All(data.TrainingSeeds, seed => Assert.Equal(0, (data with { RandomizeHelixPhase = false }).StartViewOffset(seed, 720)));
    }

    [Fact]
    public void Helix_phase_setting_is_part_of_the_cache_key()
    {
        var data = new TrainingDataOptions();

        Assert.NotEqual(data.CacheKey(3), (data with { RandomizeHelixPhase = false }).CacheKey(3));
    }

    [Fact]
    public void Training_log_survives_a_csv_round_trip_and_truncates_a_stage_after_a_step()
    {
        using var folder = new DicomIo.TempDirectory();
        string path = folder.Sub("log.csv");
        var log = new TrainingLog();
        log.Add(new TrainingLogEntry(TrainingStage.ProjectionPretrain, 1, 1e-3, 0.5, null, null, 1.25));
        log.Add(new TrainingLogEntry(TrainingStage.ProjectionPretrain, 2, 9e-4, 0.25, 0.3, 6.5, 2.5));
        log.Add(new TrainingLogEntry(TrainingStage.EndToEnd, 1, 1e-4, 0.125, null, null, 3.75));
        log.Write(path);

        var back = TrainingLog.Read(path);
        back.TruncateAfter(TrainingStage.ProjectionPretrain, 1);

        Assert.Equal(log.Entries.Count, TrainingLog.Read(path).Entries.Count);
        Assert.Equal(log.Entries[1], TrainingLog.Read(path).Entries[1]);
        Assert.Equal([1, 1], back.Entries.Select(e => e.Step));
        Assert.Equal([TrainingStage.ProjectionPretrain, TrainingStage.EndToEnd], back.Entries.Select(e => e.Stage));
    }
}
