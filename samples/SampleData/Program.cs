// FedNano sample data: writes synthetic Shepp–Logan head phantom DICOM files with the project's own codec.
//
//   dotnet run --project samples/SampleData -- ct-slice OUT.dcm [--size 512] [--seed 1]
//   dotnet run --project samples/SampleData -- multiframe OUT.dcm [--frames 400] [--size 512] [--seed 1]
//   dotnet run --project samples/SampleData -- many OUTDIR [--count 2000] [--size 64] [--seed 1]
//
// Every command also takes --transfer-syntax explicit|implicit|UID (default explicit VR little endian).
using System.Diagnostics;
using System.Globalization;
using FedNano.Dicom;
using FedNano.Samples.SampleData;

const string Usage = """
    usage:
      SampleData ct-slice OUT.dcm [--size N] [--seed S] [--transfer-syntax explicit|implicit|UID]
          one CT Image Storage slice (N×N, default 512), the central slice of the phantom
      SampleData multiframe OUT.dcm [--frames N] [--size N] [--seed S] [--transfer-syntax ...]
          one Multi-frame Grayscale Word Secondary Capture volume; default 400 frames of 512×512
          (≥ 200 MB of pixel data)
      SampleData many OUTDIR [--count M] [--size N] [--seed S] [--transfer-syntax ...]
          M CT slices (default 2000 of 64×64) of one study, in series of up to 250 slices
    """;

try
{
    if (args.Length < 2 || args[0] is "-h" or "--help")
    {
        Console.Error.WriteLine(Usage);
        return args.Length > 0 && args[0] is "-h" or "--help" ? 0 : 2;
    }
    var command = args[0];
    var target = args[1];
    var options = ParseOptions(args.AsSpan(2));
    var seed = GetULong(options, "seed", 1);
    var syntax = ParseSyntax(options.GetValueOrDefault("transfer-syntax", "explicit"));
    var clock = Stopwatch.StartNew();
    switch (command)
    {
        case "ct-slice":
            {
                var size = GetInt(options, "size", 512);
                EnsureParent(target);
                CtSampleGenerator.WriteCtSlice(target, size, seed, syntax);
                Console.WriteLine($"wrote {target}: CT Image Storage {size}×{size}, {new FileInfo(target).Length:N0} bytes ({clock.Elapsed.TotalSeconds:F2} s)");
                break;
            }
        case "multiframe":
            {
                var size = GetInt(options, "size", 512);
                var frames = GetInt(options, "frames", CtSampleGenerator.FramesForBytes(200L * 1024 * 1024, size));
                EnsureParent(target);
                var bytes = CtSampleGenerator.WriteMultiframe(target, frames, size, seed, syntax);
                Console.WriteLine($"wrote {target}: {frames} frames of {size}×{size}×16 bit, {bytes:N0} bytes ({clock.Elapsed.TotalSeconds:F2} s)");
                break;
            }
        case "many":
            {
                var size = GetInt(options, "size", 64);
                var count = GetInt(options, "count", 2000);
                var paths = CtSampleGenerator.WriteMany(target, count, size, seed, syntax);
                var total = paths.Sum(p => new FileInfo(p).Length);
                Console.WriteLine($"wrote {paths.Count} files of {size}×{size} into {target}: {total:N0} bytes ({clock.Elapsed.TotalSeconds:F2} s)");
                break;
            }
        default:
            Console.Error.WriteLine($"unknown command '{command}'");
            Console.Error.WriteLine(Usage);
            return 2;
    }
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException or DicomDataException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}

static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> rest)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < rest.Length; i++)
    {
        var a = rest[i];
        if (!a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{a}'");
        var eq = a.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0) { result[a[2..eq]] = a[(eq + 1)..]; continue; }
        if (i + 1 >= rest.Length) throw new ArgumentException($"option {a} needs a value");
        result[a[2..]] = rest[++i];
    }
    foreach (var key in result.Keys)
        if (key is not ("seed" or "size" or "frames" or "count" or "transfer-syntax"))
            throw new ArgumentException($"unknown option --{key}");
    return result;
}

static int GetInt(Dictionary<string, string> options, string name, int fallback)
{
    if (!options.TryGetValue(name, out var text)) return fallback;
    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
        throw new ArgumentException($"--{name} expects a positive integer, got '{text}'");
    return v;
}

static ulong GetULong(Dictionary<string, string> options, string name, ulong fallback)
{
    if (!options.TryGetValue(name, out var text)) return fallback;
    if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        throw new ArgumentException($"--{name} expects a non-negative integer, got '{text}'");
    return v;
}

static DicomTransferSyntax ParseSyntax(string text) => text switch
{
    "explicit" => DicomTransferSyntax.ExplicitVRLittleEndian,
    "implicit" => DicomTransferSyntax.ImplicitVRLittleEndian,
    _ when DicomTransferSyntax.TryParse(text, out var ts) && ts.CanWrite => ts,
    _ => throw new ArgumentException($"--transfer-syntax: '{text}' is not explicit, implicit or a writable transfer syntax UID"),
};

static void EnsureParent(string path)
{
    var dir = Path.GetDirectoryName(Path.GetFullPath(path));
    if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
}
