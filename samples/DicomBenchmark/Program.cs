// FedNano DICOM benchmark: full read + write (to Explicit VR Little Endian) of
//   (a) one large multi-frame file (≥ 200 MB of 512×512×16-bit frames) and
//   (b) 2,000 small CT slices (64×64),
// with FedNano.Dicom, dcmtk (dcmconv per file, and dcmodify as a batch) and pydicom. Not a test; run it by hand:
//
//   dotnet run -c Release --project samples/DicomBenchmark [-- --work DIR] [--frames N] [--count M] [--reps R] [--keep]
//
// See RESULTS.md for how each number is measured.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using FedNano.Dicom;
using FedNano.Samples.DicomBenchmark;
using FedNano.Samples.SampleData;

if (args.Length > 0 && args[0] == Worker.Flag)
    return Worker.Run(args[1..]);

BenchmarkOptions options;
try { options = BenchmarkOptions.Parse(args); }
catch (ArgumentException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}
return new Harness(options).Run();

namespace FedNano.Samples.DicomBenchmark
{
    internal sealed record BenchmarkOptions(string? WorkDir, int Frames, int FrameSize, int Count, int SmallSize, int Reps,
        ulong Seed, bool Keep, bool SkipDcmtk, bool SkipPydicom, bool Profile, bool Help)
    {
        public const string Usage = """
            usage: DicomBenchmark [--work DIR] [--frames N] [--frame-size N] [--count M] [--small-size N] [--reps R]
                                  [--seed S] [--keep] [--skip-dcmtk] [--skip-pydicom] [--profile]
              --work DIR      scratch directory (default: a new directory under the system temp directory)
              --frames N      frames of the multi-frame file (default: enough for 200 MiB of pixel data: 400 at 512×512)
              --count M       number of small files (default 2000)
              --reps R        repetitions of every measurement; the median is reported (default 3)
              --keep          keep the generated data and outputs (default: delete the scratch directory)
              --profile       also print where FedNano's time goes (open/parse, value loading, write)
            """;

        public static BenchmarkOptions Parse(string[] args)
        {
            string? work = null;
            int? frames = null;
            int frameSize = 512, count = 2000, smallSize = 64, reps = 3;
            ulong seed = 1;
            bool keep = false, skipDcmtk = false, skipPydicom = false, profile = false, help = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value");
                int NextInt() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                    ? v : throw new ArgumentException($"option {args[i - 1]} expects a positive integer");
                switch (args[i])
                {
                    case "--work": work = Next(); break;
                    case "--frames": frames = NextInt(); break;
                    case "--frame-size": frameSize = NextInt(); break;
                    case "--count": count = NextInt(); break;
                    case "--small-size": smallSize = NextInt(); break;
                    case "--reps": reps = NextInt(); break;
                    case "--seed": seed = (ulong)NextInt(); break;
                    case "--keep": keep = true; break;
                    case "--skip-dcmtk": skipDcmtk = true; break;
                    case "--skip-pydicom": skipPydicom = true; break;
                    case "--profile": profile = true; break;
                    case "-h" or "--help": help = true; break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            return new BenchmarkOptions(work, frames ?? CtSampleGenerator.FramesForBytes(200L * 1024 * 1024, frameSize), frameSize,
                count, smallSize, reps, seed, keep, skipDcmtk, skipPydicom, profile, help);
        }
    }

    /// <summary>One set of input files that every tool converts.</summary>
    internal sealed record Workload(string Id, string Name, IReadOnlyList<string> Files, long InputBytes, string ListFile);

    /// <summary>One way of converting a workload; <see cref="Start"/> gives the command for one run.</summary>
    internal sealed record Tool(string Id, string Label, string TimeSource, Func<Workload, string, ProcessSpec> Start,
        Action<Workload, string>? Prepare = null, string? OnlyFor = null)
    {
        public bool AppliesTo(Workload wl) => OnlyFor is null || OnlyFor == wl.Id;
    }

    internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string>? Environment = null);

    internal sealed record Measurement(double Seconds, double WallSeconds, long? PeakRssKb, string? Profile);

    internal sealed class Harness(BenchmarkOptions options)
    {
        private string _work = "";
        private readonly string? _timeBinary = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null;

        public int Run()
        {
            var ownedWork = options.WorkDir is null;
            _work = options.WorkDir is { } w
                ? Path.GetFullPath(w)
                : Path.Combine(Path.GetTempPath(), "fednano-dicom-bench-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_work);
            try { return RunIn(); }
            finally
            {
                if (!options.Keep)
                {
                    if (ownedWork) TryDelete(_work);
                    else
                    {
                        TryDelete(Path.Combine(_work, "in"));
                        TryDelete(Path.Combine(_work, "out"));
                    }
                    Console.WriteLine($"deleted the generated data under {_work}");
                }
            }
        }

        private int RunIn()
        {
            PrintEnvironment();
            var debug = typeof(DicomFile).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;
            if (debug)
                Console.WriteLine("WARNING: FedNano.Dicom is a Debug build; run with `dotnet run -c Release` for representative numbers.");

            // ---------------------------------------------------------------- data
            var inDir = Path.Combine(_work, "in");
            Directory.CreateDirectory(inDir);
            var clock = Stopwatch.StartNew();
            var largePath = Path.Combine(inDir, "multiframe.dcm");
            var largeBytes = CtSampleGenerator.WriteMultiframe(largePath, options.Frames, options.FrameSize, options.Seed,
                DicomTransferSyntax.ImplicitVRLittleEndian);
            Console.WriteLine($"generated {largePath}: {options.Frames} frames of {options.FrameSize}×{options.FrameSize}×16 bit, " +
                $"{largeBytes / 1e6:F1} MB ({clock.Elapsed.TotalSeconds:F1} s)");
            clock.Restart();
            var smallDir = Path.Combine(inDir, "small");
            var smallFiles = CtSampleGenerator.WriteMany(smallDir, options.Count, options.SmallSize, options.Seed,
                DicomTransferSyntax.ImplicitVRLittleEndian);
            var smallBytes = smallFiles.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"generated {smallFiles.Count} files of {options.SmallSize}×{options.SmallSize} in {smallDir}: " +
                $"{smallBytes / 1e6:F1} MB ({clock.Elapsed.TotalSeconds:F1} s)");

            var workloads = new[]
            {
                MakeWorkload($"1 multi-frame file, {options.Frames}×{options.FrameSize}² ({largeBytes / 1e6:F0} MB)", [largePath], "large"),
                MakeWorkload($"{smallFiles.Count} files of {options.SmallSize}² ({smallBytes / 1e6:F1} MB)", smallFiles, "small"),
            };

            // ---------------------------------------------------------------- tools
            var tools = new List<Tool>
            {
                new("ours", "FedNano.Dicom: all values loaded, Save(stream)", "in-process Stopwatch, runtime start excluded",
                    (wl, outDir) => SelfCommand(Worker.Flag, "eager", wl.ListFile, outDir)),
                new("ours-stream", "FedNano.Dicom: pixel data streamed file→file", "in-process Stopwatch, runtime start excluded",
                    (wl, outDir) => SelfCommand(Worker.Flag, "lazy", wl.ListFile, outDir), OnlyFor: "large"),
                new("ours-atomic", "FedNano.Dicom: all values loaded, Save(path) (temp file + rename)", "in-process Stopwatch, runtime start excluded",
                    (wl, outDir) => SelfCommand(Worker.Flag, "eager", wl.ListFile, outDir, "--atomic"), OnlyFor: "small"),
                new("ours-nopgo", "FedNano.Dicom: all values loaded, Save(stream), DOTNET_TieredPGO=0", "in-process Stopwatch, runtime start excluded",
                    (wl, outDir) => SelfCommand(Worker.Flag, "eager", wl.ListFile, outDir) with
                    {
                        Environment = new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" },
                    }, OnlyFor: "small"),
            };
            if (!options.SkipDcmtk)
            {
                if (FindOnPath("dcmconv") is { } dcmconv)
                {
                    tools.Add(new("dcmconv", "dcmtk dcmconv +te, one process per file (shell loop)", "wall clock of the whole loop, process starts included",
                        (wl, outDir) => new ProcessSpec("/bin/bash", ["-c",
                            "set -e; while IFS= read -r f; do \"$1\" +te \"$f\" \"$2/${f##*/}\"; done < \"$3\"", "bash", dcmconv, outDir, wl.ListFile])));
                }
                else Console.WriteLine("dcmtk dcmconv not found on PATH: skipped (apt-get install dcmtk)");
                if (FindOnPath("dcmodify") is { } dcmodify)
                {
                    // dcmtk's only multi-file converter modifies files in place, so a batch conversion into a new
                    // directory is "copy, then dcmodify the copies". Timed with the copy (the same job as the other rows)
                    // and without it (dcmodify's own read + write, overwriting files that already exist).
                    tools.Add(new("dcmodify", "dcmtk batch: cp into the output dir, then one dcmodify -nb +te over all copies",
                        "wall clock of cp and dcmodify together",
                        (wl, outDir) => new ProcessSpec("/bin/bash", ["-c",
                            "set -e; xargs -d '\\n' -a \"$1\" cp -t \"$2\"; cd \"$2\"; exec \"$3\" -nb +te *.dcm", "bash", wl.ListFile, outDir, dcmodify])));
                    tools.Add(new("dcmodify-only", "dcmtk dcmodify -nb +te alone (inputs copied beforehand, untimed)",
                        "wall clock of the dcmodify process; the copy made before it is not timed",
                        (wl, outDir) => new ProcessSpec(dcmodify, ["-nb", "+te", .. wl.Files.Select(f => Path.Combine(outDir, Path.GetFileName(f)))]),
                        Prepare: (wl, outDir) =>
                        {
                            foreach (var f in wl.Files) File.Copy(f, Path.Combine(outDir, Path.GetFileName(f)), overwrite: true);
                        }));
                }
            }
            if (!options.SkipPydicom)
            {
                if (FindPythonWithPydicom() is { } python)
                {
                    var script = Path.Combine(_work, "pydicom_convert.py");
                    using (var res = typeof(Harness).Assembly.GetManifestResourceStream("pydicom_convert.py")!)
                    using (var fs = File.Create(script)) res.CopyTo(fs);
                    tools.Add(new("pydicom", $"pydicom {python.Version} dcmread + save_as, one process", "in-process perf_counter, interpreter start and import excluded",
                        (wl, outDir) => new ProcessSpec(python.Path, [script, wl.ListFile, outDir])));
                }
                else Console.WriteLine("no python3 that imports pydicom found: pydicom skipped (apt-get install python3-pydicom)");
            }

            // ---------------------------------------------------------------- runs
            var results = new Dictionary<(string Workload, string Tool), List<Measurement>>();
            var outRoot = Path.Combine(_work, "out");
            for (var rep = 1; rep <= options.Reps; rep++)
            {
                foreach (var wl in workloads)
                {
                    // Rotate the order every repetition so that no tool always runs right after the same neighbour
                    // (what ran before changes the state of the page cache and of free memory).
                    var applicable = tools.Where(t => t.AppliesTo(wl)).ToList();
                    var shift = (rep - 1) % applicable.Count;
                    foreach (var tool in applicable.Skip(shift).Concat(applicable.Take(shift)))
                    {
                        var outDir = Path.Combine(outRoot, tool.Id);
                        TryDelete(outDir);
                        Directory.CreateDirectory(outDir);
                        tool.Prepare?.Invoke(wl, outDir);
                        Sync();
                        var m = Measure(tool, tool.Start(wl, outDir));
                        if (rep == 1) Verify(tool, wl, outDir);
                        TryDelete(outDir);
                        (results.TryGetValue((wl.Name, tool.Id), out var list) ? list : results[(wl.Name, tool.Id)] = []).Add(m);
                        Console.WriteLine($"  run {rep}/{options.Reps}  {wl.Name,-40} {tool.Id,-12} {m.Seconds,8:F3} s" +
                            (m.PeakRssKb is { } kb ? $"  peak {kb / 1024.0,7:F0} MB" : "") +
                            (options.Profile && m.Profile is { } p ? "  " + p : ""));
                    }
                }
            }

            PrintTable(workloads, tools, results);
            if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }

        private Workload MakeWorkload(string name, IReadOnlyList<string> files, string id)
        {
            var list = Path.Combine(_work, id + ".list");
            File.WriteAllLines(list, files);
            return new Workload(id, name, files, files.Sum(f => new FileInfo(f).Length), list);
        }

        private ProcessSpec SelfCommand(params string[] args)
        {
            var self = Environment.ProcessPath ?? "dotnet";
            string[] extra = options.Profile ? ["--profile"] : [];
            if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
                return new ProcessSpec(self, [typeof(Harness).Assembly.Location, .. args, .. extra]);
            return new ProcessSpec(self, [.. args, .. extra]);
        }

        private Measurement Measure(Tool tool, ProcessSpec spec)
        {
            var rssFile = Path.Combine(_work, "maxrss.txt");
            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (_timeBinary is not null)
            {
                psi.FileName = _timeBinary;
                foreach (var a in new[] { "-f", "%M", "-o", rssFile, spec.FileName }) psi.ArgumentList.Add(a);
            }
            else psi.FileName = spec.FileName;
            foreach (var a in spec.Arguments) psi.ArgumentList.Add(a);
            if (spec.Environment is not null)
                foreach (var (key, value) in spec.Environment) psi.Environment[key] = value;

            var wall = Stopwatch.StartNew();
            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {psi.FileName}");
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            var stderrTask = process.StandardError.ReadToEndAsync();
            long polledKb = 0;
            if (_timeBinary is null)
            {
                // No GNU time: poll the child's own high-water mark (VmHWM); misses grandchildren (the dcmconv loop).
                while (!process.WaitForExit(5)) polledKb = Math.Max(polledKb, ReadVmHwmKb(process.Id));
            }
            process.WaitForExit();
            wall.Stop();
            var stdout = stdoutTask.Result;
            var stderr = stderrTask.Result;
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{tool.Id} failed (exit {process.ExitCode}): {Tail(stderr)}{Tail(stdout)}");

            long? peak = _timeBinary is not null
                ? long.TryParse(File.ReadAllText(rssFile).Trim().Split('\n')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null
                : polledKb > 0 ? polledKb : null;
            double? inner = null;
            string? profile = null;
            foreach (var line in stdout.Split('\n'))
            {
                if (line.StartsWith("ELAPSED ", StringComparison.Ordinal))
                    inner = double.Parse(line[8..], CultureInfo.InvariantCulture);
                else if (line.StartsWith("PROFILE ", StringComparison.Ordinal))
                    profile = line[8..].Trim();
            }
            return new Measurement(inner ?? wall.Elapsed.TotalSeconds, wall.Elapsed.TotalSeconds, peak, profile);
        }

        /// <summary>Checks (outside the timing) that a tool really wrote every file as Explicit VR LE with the input's pixel data.</summary>
        private static void Verify(Tool tool, Workload wl, string outDir)
        {
            var outputs = Directory.GetFiles(outDir);
            if (outputs.Length != wl.Files.Count)
                throw new InvalidOperationException($"{tool.Id} wrote {outputs.Length} files, expected {wl.Files.Count}");
            var sample = wl.Files.Count <= 3 ? wl.Files : new[] { wl.Files[0], wl.Files[wl.Files.Count / 2], wl.Files[^1] };
            foreach (var input in sample)
            {
                var output = Path.Combine(outDir, Path.GetFileName(input));
                var a = DicomFile.Open(input);
                var b = DicomFile.Open(output);
                if (b.TransferSyntax != DicomTransferSyntax.ExplicitVRLittleEndian)
                    throw new InvalidOperationException($"{tool.Id}: {output} is {b.TransferSyntax}, not Explicit VR Little Endian");
                if (a.Dataset.GetString(DicomTags.SOPInstanceUID) != b.Dataset.GetString(DicomTags.SOPInstanceUID))
                    throw new InvalidOperationException($"{tool.Id}: {output} has another SOP Instance UID");
                if (!a.Dataset.TryGetElement(DicomTags.PixelData, out var pa) || !b.Dataset.TryGetElement(DicomTags.PixelData, out var pb)
                    || !pa.Value.GetMemory().Span.SequenceEqual(pb.Value.GetMemory().Span))
                    throw new InvalidOperationException($"{tool.Id}: {output} pixel data differ from the input");
            }
        }

        private void PrintTable(Workload[] workloads, List<Tool> tools, Dictionary<(string, string), List<Measurement>> results)
        {
            Console.WriteLine();
            Console.WriteLine($"Median of {options.Reps} runs. MB/s = input bytes / seconds (1 MB = 10^6 bytes). " +
                "peak RSS = max resident set of the process (" + (_timeBinary is not null ? "GNU time %M" : "polled /proc/PID/status VmHWM") + ").");
            Console.WriteLine();
            Console.WriteLine("| workload | tool | seconds | MB/s | files/s | peak RSS MB | time / ours | wall incl. start s | all runs s |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var wl in workloads)
            {
                var ours = Median(results[(wl.Name, "ours")].Select(m => m.Seconds));
                foreach (var tool in tools.Where(t => t.AppliesTo(wl)))
                {
                    var ms = results[(wl.Name, tool.Id)];
                    var t = Median(ms.Select(m => m.Seconds));
                    var wall = Median(ms.Select(m => m.WallSeconds));
                    var peaks = ms.Where(m => m.PeakRssKb.HasValue).Select(m => (double)m.PeakRssKb!.Value).ToList();
                    var peak = peaks.Count > 0 ? (Median(peaks) / 1024).ToString("F0", CultureInfo.InvariantCulture) : "n/a";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {wl.Name} | {tool.Label} | {t:F3} | {wl.InputBytes / 1e6 / t:F0} | {wl.Files.Count / t:F0} | {peak} | {t / ours:F2} | {wall:F3} | {string.Join(", ", ms.Select(m => m.Seconds.ToString("F3", CultureInfo.InvariantCulture)))} |"));
                }
            }
            Console.WriteLine();
            Console.WriteLine("How each tool's seconds are measured:");
            foreach (var tool in tools) Console.WriteLine($"  {tool.Label}: {tool.TimeSource}");
            if (options.Profile)
            {
                Console.WriteLine();
                Console.WriteLine("FedNano time split (median run, seconds):");
                foreach (var wl in workloads)
                    foreach (var id in tools.Where(t => t.Id.StartsWith("ours", StringComparison.Ordinal) && t.AppliesTo(wl)).Select(t => t.Id))
                    {
                        var ms = results[(wl.Name, id)].OrderBy(m => m.Seconds).ToList();
                        Console.WriteLine($"  {wl.Name} / {id}: {ms[ms.Count / 2].Profile}");
                    }
            }
        }

        private void PrintEnvironment()
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB available to .NET");
            Console.WriteLine($"runtime: .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine($"scratch directory: {_work}");
        }

        private static string CpuModel()
        {
            try
            {
                return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
            }
            catch (IOException) { return "unknown CPU"; }
        }

        private static double Median(IEnumerable<double> values)
        {
            var v = values.OrderBy(x => x).ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }

        private static long ReadVmHwmKb(int pid)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return 0;
        }

        private static void Sync()
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
                p?.WaitForExit();
            }
            catch (System.ComponentModel.Win32Exception) { }
        }

        private static string? FindOnPath(string name)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                if (dir.Length == 0) continue;
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        private static (string Path, string Version)? FindPythonWithPydicom()
        {
            foreach (var candidate in new[] { "/usr/bin/python3", FindOnPath("python3"), FindOnPath("python") })
            {
                if (candidate is null || !File.Exists(candidate)) continue;
                try
                {
                    var psi = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    psi.ArgumentList.Add("-c");
                    psi.ArgumentList.Add("import pydicom; print(pydicom.__version__)");
                    using var p = Process.Start(psi)!;
                    var version = p.StandardOutput.ReadToEnd().Trim();
                    p.WaitForExit();
                    if (p.ExitCode == 0) return (candidate, version);
                }
                catch (System.ComponentModel.Win32Exception) { }
            }
            return null;
        }

        private static string Tail(string s) => s.Length > 2000 ? s[^2000..] : s;

        private static void TryDelete(string path)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            }
            catch (IOException ex) { Console.Error.WriteLine($"could not delete {path}: {ex.Message}"); }
        }
    }
}
