// FedNano.DictionaryGenerator: builds the DICOM data dictionary and UID registry of FedNano.Dicom.
//
// Sources (tab-separated, '#' starts a comment line), in DicomService/Dicom/Dictionary/Source/:
//   tags.tsv          public PS3.6/PS3.7 data elements: tag, vr, vm, keyword, retired (converted from dcmtk's dicom.dic)
//   uids.tsv          PS3.6 Annex A UIDs: uid, name, keyword, type, retired (hand-maintained)
//   private-ctpd.tsv  DICOM-CT-PD private dictionary: creator, group, element byte, vr, vm, keyword (hand-maintained)
// Outputs (checked in), in DicomService/Dicom/Dictionary/:
//   DicomDictionary.Data.g.cs, DicomTags.g.cs, DicomUidRegistry.Data.g.cs, DicomUids.g.cs
//
// Usage (from the repository root):
//   dotnet run --project DicomService/DictionaryGenerator
//       regenerate the *.g.cs files from the TSVs
//   dotnet run --project DicomService/DictionaryGenerator -- --check
//       exit 1 (listing the files) when a checked-in *.g.cs differs from what the TSVs generate
//   dotnet run --project DicomService/DictionaryGenerator -- --from-dcmtk /usr/share/libdcmtk17/dicom.dic
//       rewrite tags.tsv from dcmtk's dictionary (Debian package libdcmtk17), then regenerate
// Option: --repo DIR   repository root (default: found by walking up from the current directory).
//
// The test FedNano.Dicom.Tests/Dictionary/DictionaryTests.cs runs the same generator and fails when the
// checked-in files are stale, so edit a TSV, run the generator, and commit both.

using FedNano.DictionaryGenerator;

string? repo = null, dcmtk = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repo" when i + 1 < args.Length: repo = args[++i]; break;
        case "--from-dcmtk" when i + 1 < args.Length: dcmtk = args[++i]; break;
        case "--check": check = true; break;
        case "-h" or "--help":
            Console.WriteLine("usage: FedNano.DictionaryGenerator [--repo DIR] [--check | --from-dcmtk PATH/dicom.dic]");
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}' (try --help)");
            return 2;
    }
}
if (check && dcmtk is not null)
{
    Console.Error.WriteLine("--check and --from-dcmtk cannot be combined");
    return 2;
}

repo ??= CodeGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? CodeGenerator.FindRepositoryRoot(AppContext.BaseDirectory);
if (repo is null || !Directory.Exists(Path.Combine(repo, CodeGenerator.SourceDirectory)))
{
    Console.Error.WriteLine($"cannot find {CodeGenerator.SourceDirectory}; run from the repository or pass --repo DIR");
    return 2;
}
var sourceDir = Path.Combine(repo, CodeGenerator.SourceDirectory);
var outputDir = Path.Combine(repo, CodeGenerator.OutputDirectory);

try
{
    if (dcmtk is not null)
    {
        var tsv = DcmtkConverter.Convert(File.ReadAllText(dcmtk));
        var tagsPath = Path.Combine(sourceDir, "tags.tsv");
        File.WriteAllText(tagsPath, tsv);
        Console.WriteLine($"wrote {tagsPath}");
    }

    var stale = new List<string>();
    foreach (var file in CodeGenerator.Generate(sourceDir))
    {
        var path = Path.Combine(outputDir, file.FileName);
        var current = File.Exists(path) ? File.ReadAllText(path) : null;
        if (current == file.Content) continue;
        if (check)
        {
            stale.Add(path);
            continue;
        }
        File.WriteAllText(path, file.Content);
        Console.WriteLine($"wrote {path}");
    }
    if (check && stale.Count > 0)
    {
        Console.Error.WriteLine("stale generated files (run: dotnet run --project DicomService/DictionaryGenerator):");
        foreach (var s in stale) Console.Error.WriteLine("  " + s);
        return 1;
    }
    Console.WriteLine(check ? "generated files are up to date" : "done");
    return 0;
}
catch (FormatException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}
