using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FedNano.Reconstruction.Tests.Cli;

/// <summary><c>recon reconstruct --method dual-domain</c> with the weights shipped in Reconstruction/Models.</summary>
public class DualDomainCliTests(SimulatedCaseFixture fixture, ITestOutputHelper output) : IClassFixture<SimulatedCaseFixture>
{
    [Fact]
    public void Shipped_model_refuses_a_grid_it_was_not_trained_for_and_writes_nothing()
    {
        string never = Path.Combine(fixture.Root, "never-dd");

        var run = ReconCli.Run("reconstruct", "--in", fixture.CaseDirectory, "--method", "dual-domain", "--out", never);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("The network reconstructs 256x256 images at 1.5625 mm pixels; the requested grid is 64x64", run.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(never));
    }

    [Fact]
    public void Shipped_model_reconstructs_an_unseen_chest_with_at_most_three_quarters_of_the_ssr_fbp_error()
    {
        string root = Path.Combine(fixture.Root, "chest");
        string scan = Path.Combine(root, "case");
        var simulate = ReconCli.Run("simulate", "--phantom", "chest", "--seed", "1004", "--i0", "1e5", "--slices", "2", "--out", scan);
        Assert.True(simulate.ExitCode == 0, simulate.StdErr);

        double dualDomain = ReconstructAndScore(scan, Path.Combine(root, "dd"), "dual-domain");
        double ssrFbp = ReconstructAndScore(scan, Path.Combine(root, "ssr"), "ssr-fbp");

        // Measured 2026-12-06: see samples/DualDomainResults/RESULTS.md for the full table.
        Assert.True(dualDomain < 0.75 * ssrFbp, $"dual-domain RRMSE {dualDomain} % vs SSR-FBP {ssrFbp} %");
    }

    private double ReconstructAndScore(string scan, string outDirectory, string method)
    {
        var run = ReconCli.Run("reconstruct", "--in", scan, "--method", method, "--out", outDirectory);
        output.WriteLine(run.StdOut + run.StdErr);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Matches(@"reconstructed 2 slices 256x256 .* ms per slice", run.StdOut);
        var evaluation = ReconCli.Run("evaluate", "--reference", scan, "--test", outDirectory, "--unit", "mu", "--mask", "body");
        output.WriteLine(evaluation.StdOut);
        Assert.True(evaluation.ExitCode == 0, evaluation.StdErr);
        var match = Regex.Match(evaluation.StdOut, @"RRMSE ([0-9.]+) %");
        Assert.True(match.Success, evaluation.StdOut);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
