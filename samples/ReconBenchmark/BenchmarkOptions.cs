using System.Globalization;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>Command-line settings of one benchmark run.</summary>
/// <param name="Reps">Timed repetitions of each of our 2D measurements (after one untimed warm-up).</param>
/// <param name="PeerReps">Timed repetitions of each peer measurement.</param>
/// <param name="HelicalRows">Detector rows of the 3D helical projection (the central rows of siemens-64).</param>
/// <param name="HelicalReps">Timed repetitions of the 3D helical projection.</param>
/// <param name="StreamMib">Size of each STREAM array (MiB); null picks it from the L3 size.</param>
/// <param name="StreamReps">Repetitions of each STREAM kernel; the best is kept.</param>
/// <param name="MarkdownPath">Where to write RESULTS.md-ready tables, or null.</param>
/// <param name="WorkDir">Scratch directory for peer files, or null for a new one under the temp directory.</param>
/// <param name="Keep">Keep the scratch directory.</param>
/// <param name="Quick">The smaller run (fewer repetitions, 8 helical rows, smaller STREAM arrays).</param>
/// <param name="SkipSkimage">Do not run skimage.</param>
/// <param name="SkipCtsim">Do not run ctsim.</param>
/// <param name="SkipHelical">Do not run the 3D helical projection.</param>
/// <param name="Python">The Python interpreter that has skimage (Debian's, not a pyenv one).</param>
/// <param name="CtsimBackprojection">ctsim pjrec --backproj method.</param>
/// <param name="CtsimFilterMethod">ctsim pjrec --filter-method.</param>
/// <param name="StreamOnly">Measure the memory bandwidth and print the bound, nothing else.</param>
/// <param name="Help">Print usage and exit.</param>
internal sealed record BenchmarkOptions(
    int Reps,
    int PeerReps,
    int HelicalRows,
    int HelicalReps,
    int? StreamMib,
    int StreamReps,
    string? MarkdownPath,
    string? WorkDir,
    bool Keep,
    bool Quick,
    bool SkipSkimage,
    bool SkipCtsim,
    bool SkipHelical,
    string Python,
    string CtsimBackprojection,
    string CtsimFilterMethod,
    bool StreamOnly,
    bool Help)
{
    public const string Usage = """
        usage: FedNano.Samples.ReconBenchmark [--quick] [--markdown PATH] [--reps N] [--peer-reps N]
                                              [--helical-rows N] [--helical-reps N] [--stream-mib N] [--stream-reps N]
                                              [--skip-skimage] [--skip-ctsim] [--skip-helical] [--python PATH]
                                              [--ctsim-backproj trig|table|diff|idiff] [--ctsim-filter-method M]
                                              [--work DIR] [--keep] [--stream-only]
          --quick             smaller run: 2 reps of ours, 1 of each peer, 8 helical rows, 128 MiB STREAM arrays
          --markdown PATH     also write the tables as Markdown (RESULTS.md-ready) to PATH
          --reps N            timed repetitions of our 2D measurements after one warm-up (default 5)
          --peer-reps N       timed repetitions of each peer (default 3)
          --helical-rows N    detector rows of the 3D helical projection, 1..64 (default 64)
          --helical-reps N    timed repetitions of the 3D helical projection (default 1: it takes minutes on 2 cores)
          --stream-mib N      MiB per STREAM array (default: 4 x L3, clamped to 256..1024)
          --stream-reps N     repetitions of each STREAM kernel, best kept (default 10)
          --python PATH       Python with skimage (default /usr/bin/python3: Debian's python3-skimage)
          --ctsim-backproj M  ctsim pjrec backprojection (default idiff, ctsim's fastest here)
          --ctsim-filter-method M  ctsim pjrec filter method (default rfftw, its fastest here)
          --work DIR          scratch directory for peer files (default: a new one under the temp directory)
          --keep              keep the scratch directory
          --stream-only       measure the memory bandwidth and print the backprojection bound, nothing else
        """;

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="ArgumentException">An argument is unknown or a value is invalid.</exception>
    public static BenchmarkOptions Parse(string[] args)
    {
        bool quick = args.Contains("--quick");
        int reps = quick ? 2 : 5, peerReps = quick ? 1 : 3, rows = quick ? 8 : 64, helicalReps = 1;
        int? streamMib = quick ? 128 : null;
        int streamReps = quick ? 5 : 10;
        string? markdown = null, work = null;
        string python = "/usr/bin/python3", backprojection = "idiff", filterMethod = "rfftw";
        bool keep = false, skipSkimage = false, skipCtsim = false, skipHelical = false, streamOnly = false, help = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value");
            int NextInt(int max)
            {
                string name = args[i];
                return int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 && v <= max
                    ? v
                    : throw new ArgumentException($"option {name} expects an integer in 1..{max}");
            }
            switch (args[i])
            {
                case "--quick": break;
                case "--markdown": markdown = Next(); break;
                case "--reps": reps = NextInt(1000); break;
                case "--peer-reps": peerReps = NextInt(1000); break;
                case "--helical-rows": rows = NextInt(64); break;
                case "--helical-reps": helicalReps = NextInt(100); break;
                case "--stream-mib": streamMib = NextInt(16384); break;
                case "--stream-reps": streamReps = NextInt(1000); break;
                case "--python": python = Next(); break;
                case "--ctsim-backproj": backprojection = Next(); break;
                case "--ctsim-filter-method": filterMethod = Next(); break;
                case "--work": work = Next(); break;
                case "--keep": keep = true; break;
                case "--skip-skimage": skipSkimage = true; break;
                case "--skip-ctsim": skipCtsim = true; break;
                case "--skip-helical": skipHelical = true; break;
                case "--stream-only": streamOnly = true; break;
                case "-h" or "--help": help = true; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        return new BenchmarkOptions(reps, peerReps, rows, helicalReps, streamMib, streamReps, markdown, work, keep, quick,
            skipSkimage, skipCtsim, skipHelical, python, backprojection, filterMethod, streamOnly, help);
    }
}
