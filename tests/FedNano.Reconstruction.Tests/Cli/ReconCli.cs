using System.Diagnostics;
using FedNano.Testing;

namespace FedNano.Reconstruction.Tests.Cli;

/// <summary>Runs the built <c>recon</c> program (Reconstruction/Cli's own output, same configuration as the tests).</summary>
internal static class ReconCli
{
    public static string DllPath
    {
        get
        {
            // tests/FedNano.Reconstruction.Tests/bin/<Configuration>/net10.0 → Reconstruction/Cli/bin/<Configuration>/net10.0
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = testBin.Name, configuration = testBin.Parent!.Name;
            var root = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            string path = Path.Combine(root, "Reconstruction", "Cli", "bin", configuration, framework, "recon.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"recon.dll not built at {path}");
        }
    }

    public static PeerResult Run(params string[] arguments) =>
        PeerTool.Exec("dotnet", [DllPath, .. arguments], TimeSpan.FromMinutes(5));
}
