using System.Globalization;
using System.Text.RegularExpressions;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Phantoms;
using Xunit.Abstractions;

namespace FedNano.Reconstruction.Tests.Cli;

/// <summary>One small simulated case shared by the CLI tests (simulating is the slow step).</summary>
public sealed class SimulatedCaseFixture : IDisposable
{
    public SimulatedCaseFixture()
    {
        Root = Directory.CreateTempSubdirectory("recon-cli-").FullName;
        CaseDirectory = Path.Combine(Root, "case");
        Simulate = ReconCli.Run("simulate", "--phantom", "shepp-logan", "--geometry", "small-sparse", "--i0", "1e6", "--seed", "3",
            "--size", "64", "--fov", "300", "--slices", "2", "--slice-spacing", "3", "--out", CaseDirectory);
    }

    public string Root { get; }

    public string CaseDirectory { get; }

    public Testing.PeerResult Simulate { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public class ReconCliTests(SimulatedCaseFixture fixture, ITestOutputHelper output) : IClassFixture<SimulatedCaseFixture>
{
    [Fact]
    public void Simulate_writes_a_raw_series_the_reader_accepts_the_truth_and_the_findings()
    {
        Assert.True(fixture.Simulate.ExitCode == 0, fixture.Simulate.StdErr);
        var scan = new DicomCtPdReader().Read(Path.Combine(fixture.CaseDirectory, "raw"));
        Assert.Equal("4x2g2@1", scan.RowPattern.ToString());
        Assert.NotNull(scan.PhotonsPerChannel);
        var truth = new CtImageSeriesReader().Read(Path.Combine(fixture.CaseDirectory, "truth"));
        Assert.Equal(2, truth.Grid.Nz);
        Assert.Equal(-1.5, truth.Grid.ZMm(0), 3);
        var findings = PhantomFindings.FromJson(File.ReadAllText(Path.Combine(fixture.CaseDirectory, "findings.json")));
        Assert.Equal("shepp-logan", findings.Phantom);
        Assert.Equal(3, findings.Seed);
    }

    [Theory]
    [InlineData("ssr-fbp")]
    [InlineData("360li")]
    [InlineData("180li")]
    public void Reconstruct_then_evaluate_reports_metrics_against_the_truth(string method)
    {
        string recon = Path.Combine(fixture.Root, "recon-" + method);
        var run = ReconCli.Run("reconstruct", "--in", fixture.CaseDirectory, "--method", method, "--out", recon);
        output.WriteLine(run.StdOut + run.StdErr);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Matches(@"reconstructed 2 slices 64x64 .* ms per slice", run.StdOut);

        string png = Path.Combine(fixture.Root, method + ".png");
        var evaluation = ReconCli.Run("evaluate", "--reference", fixture.CaseDirectory, "--test", recon, "--png", png);
        output.WriteLine(evaluation.StdOut + evaluation.StdErr);
        Assert.True(evaluation.ExitCode == 0, evaluation.StdErr);
        var match = Regex.Match(evaluation.StdOut, @"RRMSE ([0-9.]+) %  SSIM ([0-9.]+)  PSNR ([0-9.]+) dB");
        Assert.True(match.Success, evaluation.StdOut);
        double rrmse = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        double ssim = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        // A 64² Shepp–Logan from a sparse, noisy scan: clearly a reconstruction of the phantom, not perfect.
        Assert.InRange(rrmse, 0.5, 25);
        Assert.InRange(ssim, 0.5, 1.0);
        Assert.True(new FileInfo(png).Length > 1000);
    }

    [Fact]
    public void Unknown_geometry_is_a_usage_error_naming_the_known_presets()
    {
        var run = ReconCli.Run("simulate", "--geometry", "mars-1", "--out", Path.Combine(fixture.Root, "never"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown geometry preset 'mars-1'", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("small-sparse", run.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Root, "never", "raw")));
    }

    [Fact]
    public void Reconstructing_a_folder_without_projection_data_fails_with_a_reason()
    {
        string empty = Path.Combine(fixture.Root, "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "not DICOM");
        var run = ReconCli.Run("reconstruct", "--in", empty, "--out", Path.Combine(fixture.Root, "never2"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("recon: error: Projection data rejected: not a readable DICOM file", run.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Root, "never2")));
    }

    [Fact]
    public void Slices_outside_the_scan_are_rejected_with_the_supported_range()
    {
        var run = ReconCli.Run("reconstruct", "--in", fixture.CaseDirectory, "--slices", "100:110:5", "--out", Path.Combine(fixture.Root, "never3"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("outside the range this scan supports", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_rejects_series_on_different_grids()
    {
        string other = Path.Combine(fixture.Root, "other-grid");
        var run = ReconCli.Run("reconstruct", "--in", Path.Combine(fixture.CaseDirectory, "raw"), "--size", "32", "--fov", "300",
            "--slices", "-1.5:1.5:3", "--out", other);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var evaluation = ReconCli.Run("evaluate", "--reference", fixture.CaseDirectory, "--test", other);
        Assert.Equal(2, evaluation.ExitCode);
        Assert.Contains("recon: error:", evaluation.StdErr, StringComparison.Ordinal);
    }
}
