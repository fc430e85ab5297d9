using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Volumes;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.Reconstruction.Tests.DicomIo;

/// <summary>Independent implementations (pydicom, dcmtk, dicom3tools) read what we write with the same meaning.</summary>
public sealed class DicomIoPeerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Reads one view: every DICOM-CT-PD block through pydicom's private-block API (creator looked up, not assumed),
    // one element by raw tag after checking its creator, and the rescaled pixel array.
    private const string PydicomScript = """
        import json, sys
        import numpy as np
        import pydicom
        ds = pydicom.dcmread(sys.argv[1])
        out = {}
        b = ds.private_block(0x7029, "DetectorSystemArrangementModule")
        out["transverse"] = float(b[0x02].value)
        out["axial"] = float(b[0x06].value)
        out["shape"] = b[0x0B].value
        out["rows"] = int(b[0x10].value)
        out["columns"] = int(b[0x11].value)
        b = ds.private_block(0x7031, "DetectorDynamicsModule")
        out["angle"] = float(b[0x01].value)
        out["z"] = float(b[0x02].value)
        out["central"] = [float(v) for v in b[0x33].value]
        out["D"] = float(b[0x31].value)
        if ds[0x7031, 0x0010].value != "DetectorDynamicsModule":
            raise SystemExit("unexpected creator of block 7031,10xx")
        out["R"] = float(ds[0x7031, 0x1003].value)
        b = ds.private_block(0x7033, "SourceDynamicsModule")
        out["ffs"] = b[0x0E].value
        out["steps"] = int(b[0x13].value)
        out["spectra"] = int(b[0x61].value)
        out["photons"] = [float(v) for v in b[0x65].value]
        b = ds.private_block(0x7037, "ProjectionDataDefinitions")
        out["type"] = b[0x09].value
        out["geometry"] = b[0x0A].value
        out["log"] = ds.private_block(0x7039, "PreprocessingFlagsModule")[0x09].value
        out["water"] = float(ds.private_block(0x7041, "LesionInformationModule")[0x01].value)
        b = ds.private_block(0x7051, "FEDNANO SPARSE DETECTOR 1.0")
        out["pattern"] = b[0x01].value
        out["mu"] = float(b[0x02].value)
        out["instance"] = int(ds.InstanceNumber)
        p = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        out["pixel_shape"] = list(p.shape)
        out["pixels"] = p.tolist()
        print(json.dumps(out))
        """;

    [Fact]
    public void Pydicom_finds_the_private_tags_and_pixel_layout_we_wrote()
    {
        var python = PeerTool.FindPython("pydicom", "python3-pydicom", output);
        if (python is null)
        {
            return;
        }
        var scan = SyntheticScans.Create(views: 12);
        var dir = _temp.Sub("raw");
        new DicomCtPdWriter().Write(scan, dir);
        var r = PeerTool.Exec(python, ["-c", PydicomScript, Path.Combine(dir, "view_000004.dcm")], ToolTimeout).EnsureSuccess("pydicom");
        using var json = JsonDocument.Parse(r.StdOut);
        var o = json.RootElement;
        var g = scan.Geometry;
        Assert.Equal(10.0, o.GetProperty("transverse").GetDouble(), 5);
        Assert.Equal(1.0947, o.GetProperty("axial").GetDouble(), 5);
        Assert.Equal("CYLINDRICAL", o.GetProperty("shape").GetString());
        Assert.Equal(8, o.GetProperty("rows").GetInt32());
        Assert.Equal(48, o.GetProperty("columns").GetInt32());
        Assert.Equal(g.SourceAngleRad(3) % (2 * Math.PI), o.GetProperty("angle").GetDouble(), 5);
        Assert.Equal(g.SourceZMm(3), o.GetProperty("z").GetDouble(), 4);
        Assert.Equal([24.25, 4.5], o.GetProperty("central").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(595.0, o.GetProperty("R").GetDouble());
        Assert.Equal(1085.6, o.GetProperty("D").GetDouble(), 4);
        Assert.Equal("FFSNONE", o.GetProperty("ffs").GetString());
        Assert.Equal(36, o.GetProperty("steps").GetInt32());
        Assert.Equal(1, o.GetProperty("spectra").GetInt32());
        Assert.Equal(scan.PhotonsPerChannel!.Select(v => (double)v), o.GetProperty("photons").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("HELICAL", o.GetProperty("type").GetString());
        Assert.Equal("FANBEAM", o.GetProperty("geometry").GetString());
        Assert.Equal("YES", o.GetProperty("log").GetString());
        Assert.Equal(0.0195, o.GetProperty("water").GetDouble());
        Assert.Equal("2x2g2@1", o.GetProperty("pattern").GetString());
        Assert.Equal(0.0195, o.GetProperty("mu").GetDouble());
        Assert.Equal(4, o.GetProperty("instance").GetInt32());

        // pixel_array[channel][row] is our line integral (row, channel) of view 3.
        Assert.Equal([48, 8], o.GetProperty("pixel_shape").EnumerateArray().Select(v => v.GetInt32()));
        var bound = LineIntegralScaling.For(scan.LineIntegrals).MaxAbsoluteError;
        var view = scan.View(3).ToArray();
        int channel = 0;
        foreach (var line in o.GetProperty("pixels").EnumerateArray())
        {
            int row = 0;
            foreach (var value in line.EnumerateArray())
            {
                Assert.True(Math.Abs(value.GetDouble() - view[row * g.Channels + channel]) <= bound * (1 + 1e-6),
                    $"channel {channel} row {row}: pydicom {value.GetDouble()}, ours {view[row * g.Channels + channel]}");
                row++;
            }
            channel++;
        }
    }

    [Fact]
    public void Dcmdump_lists_the_private_blocks_with_their_creators_and_values()
    {
        var dcmdump = PeerTool.FindTool("dcmdump", "dcmtk", output);
        if (dcmdump is null)
        {
            return;
        }
        var dir = _temp.Sub("raw");
        new DicomCtPdWriter().Write(SyntheticScans.Create(views: 3), dir);
        var r = PeerTool.Exec(dcmdump, [Path.Combine(dir, "view_000002.dcm")], ToolTimeout).EnsureSuccess("dcmdump");
        output.WriteLine(r.StdOut);
        Assert.DoesNotContain("E:", r.StdErr, StringComparison.Ordinal);
        string[] expected =
        [
            @"(7029,0010) LO [DetectorSystemArrangementModule]",
            @"(7029,100b) CS [CYLINDRICAL]",
            @"(7029,1010) US 8",
            @"(7029,1011) US 48",
            @"(7031,0010) LO [DetectorDynamicsModule]",
            @"(7031,1003) FL 595",
            @"(7031,1033) FL 24.25\4.5",
            @"(7033,0010) LO [SourceDynamicsModule]",
            @"(7033,100e) CS [FFSNONE]",
            @"(7033,1013) US 36",
            @"(7037,0010) LO [ProjectionDataDefinitions]",
            @"(7037,1009) CS [HELICAL]",
            @"(7037,100a) CS [FANBEAM]",
            @"(7039,0010) LO [PreprocessingFlagsModule]",
            @"(7039,1009) CS [YES]",
            @"(7041,0010) LO [LesionInformationModule]",
            @"(7041,1001) DS [0.0195]",
            @"(7051,0010) LO [FEDNANO SPARSE DETECTOR 1.0]",
            @"(7051,1001) LO [2x2g2@1]",
            @"(0020,0013) IS [2]",
            @"(0028,0010) US 48",
            @"(0028,0011) US 8",
        ];
        foreach (var line in expected)
        {
            Assert.Matches(new Regex("^" + Regex.Escape(line) + @"\s", RegexOptions.Multiline | RegexOptions.IgnoreCase), r.StdOut);
        }
    }

    [Fact]
    public void Dciodvfy_finds_no_errors_in_a_CT_image_slice_we_write()
    {
        var dciodvfy = PeerTool.FindTool("dciodvfy", "dicom3tools", output);
        if (dciodvfy is null)
        {
            return;
        }
        var grid = new VolumeGrid(32, 32, 3, 0.7, 1.0, -1.0);
        var values = Enumerable.Range(0, (int)grid.VoxelCount).Select(i => (float)(i % 2000 - 1000)).ToArray();
        var dir = _temp.Sub("images");
        var options = CtSeriesOptions.Default with { ReconstructionMethod = "fan-beam FBP after single-slice rebinning" };
        new CtImageSeriesWriter().Write(new CtVolume(grid, values, VolumeUnit.Hounsfield), SyntheticScans.Metadata(), dir, options);
        var r = PeerTool.Exec(dciodvfy, [Path.Combine(dir, CtImageSeriesWriter.FileName(1))], ToolTimeout);
        var all = r.StdOut + r.StdErr;
        output.WriteLine(all);
        Assert.Contains("CTImage", all, StringComparison.Ordinal);
        var errors = all.Split('\n').Where(l => l.Contains("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "dciodvfy reported errors:\n" + string.Join('\n', errors));
    }

    [Fact]
    public void Pydicom_reads_our_CT_slice_as_HU_at_the_right_position()
    {
        var python = PeerTool.FindPython("pydicom", "python3-pydicom", output);
        if (python is null)
        {
            return;
        }
        var grid = new VolumeGrid(6, 4, 2, 0.5, 2.0, 10.0);
        var values = Enumerable.Range(0, (int)grid.VoxelCount).Select(i => (float)(i * 10 - 500)).ToArray();
        var dir = _temp.Sub("images");
        new CtImageSeriesWriter().Write(new CtVolume(grid, values, VolumeUnit.Hounsfield), SyntheticScans.Metadata(), dir, CtSeriesOptions.Default);
        const string script = """
            import json, sys, pydicom
            from pydicom.pixel_data_handlers.util import apply_modality_lut
            ds = pydicom.dcmread(sys.argv[1])
            hu = apply_modality_lut(ds.pixel_array, ds)
            print(json.dumps({"position": [float(v) for v in ds.ImagePositionPatient], "hu": hu.tolist()}))
            """;
        var r = PeerTool.Exec(python, ["-c", script, Path.Combine(dir, CtImageSeriesWriter.FileName(1))], ToolTimeout).EnsureSuccess("pydicom");
        using var json = JsonDocument.Parse(r.StdOut);
        var position = json.RootElement.GetProperty("position").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal([grid.XMm(0), grid.YMm(0), grid.ZMm(1)], position);
        var hu = json.RootElement.GetProperty("hu").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal(grid.Ny, hu.Length);
        for (int j = 0; j < grid.Ny; j++)
        {
            for (int i = 0; i < grid.Nx; i++)
            {
                Assert.Equal(values[(1 * grid.Ny + j) * grid.Nx + i], hu[j][i]);
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pydicom read {hu.Length} rows"));
    }
}
