using FedNano.Testing;
using System.Text;


namespace FedNano.Dicom.Tests.Cli;

/// <summary>Runs the real dicomtool (its dll is copied into the test output by the project reference) as `dotnet dicomtool.dll ...`.</summary>
internal static class DicomToolRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string ToolPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "dicomtool.dll");
            Assert.True(File.Exists(path), $"dicomtool.dll is not in the test output ({AppContext.BaseDirectory}); the test project must reference DicomTool.csproj");
            return path;
        }
    }

    /// <summary>The dotnet host that runs this test (the CLI sets DOTNET_HOST_PATH for its children), else `dotnet` on PATH.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : PeerTool.FindOnPath("dotnet") ?? "dotnet";

    public static PeerResult Run(params string[] args) =>
        PeerTool.Exec(DotnetHost, [ToolPath, .. args], Timeout, Encoding.UTF8);
}
