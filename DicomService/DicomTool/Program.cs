// dicomtool: the command-line face of FedNano.Dicom. Argument parsing and output only; the work is in the library.
using System.CommandLine;
using System.Globalization;
using FedNano.Dicom;

var fileArg = new Argument<FileInfo>("file") { Description = "DICOM file (Part 10, or a raw dataset)" };

var dump = new Command("dump", "Print the file as a human-readable element tree") { fileArg };
dump.SetAction(r => RunVoid(() => Console.Out.Write(DicomDump.Format(DicomFile.Open(r.GetValue(fileArg)!.FullName)))));

var inlineBinary = new Option<bool>("--inline-binary") { Description = "Write every binary value inline as base64 (otherwise bulk values are omitted as BulkDataURI to the file)" };
var json = new Command("json", "Print the dataset as DICOM JSON (PS3.18 Annex F)") { fileArg, inlineBinary };
json.SetAction(r => RunVoid(() =>
{
    var path = r.GetValue(fileArg)!.FullName;
    var file = DicomFile.Open(path);
    var options = new DicomJsonOptions
    {
        InlineBinary = r.GetValue(inlineBinary),
        WriteIndented = true,
        BulkDataUriResolver = r.GetValue(inlineBinary) ? null : (tags, _) => new Uri(path).AbsoluteUri + "#" + string.Join('.', tags.Select(t => t.ToJsonKey())),
    };
    Console.Out.WriteLine(DicomJsonWriter.Serialize(file.Dataset, options));
}));

var inArg = new Argument<FileInfo>("in") { Description = "Input DICOM file" };
var outArg = new Argument<FileInfo>("out") { Description = "Output path" };
var syntaxOpt = new Option<string>("--transfer-syntax", "-t")
{
    Description = "Target transfer syntax UID: 1.2.840.10008.1.2 (implicit LE), 1.2.840.10008.1.2.1 (explicit LE), 1.2.840.10008.1.2.1.99 (deflated), 1.2.840.10008.1.2.5 (RLE)",
    Required = true,
};
var convert = new Command("convert", "Re-encode a file in another transfer syntax") { inArg, outArg, syntaxOpt };
convert.SetAction(r => RunVoid(() =>
{
    if (!DicomTransferSyntax.TryParse(r.GetValue(syntaxOpt), out var target))
        throw new DicomDataException($"unknown transfer syntax UID '{r.GetValue(syntaxOpt)}'");
    DicomFile.Open(r.GetValue(inArg)!.FullName).Save(r.GetValue(outArg)!.FullName, target);
}));

var frameOpt = new Option<int>("--frame") { Description = "0-based frame index", DefaultValueFactory = _ => 0 };
var windowOpt = new Option<string?>("--window") { Description = "VOI window as CENTER,WIDTH (default: from the file, else the frame's range)" };
var render = new Command("render", "Render a frame to PNG or JPEG (by the output extension)") { inArg, outArg, frameOpt, windowOpt };
render.SetAction(r => RunVoid(() =>
{
    var file = DicomFile.Open(r.GetValue(inArg)!.FullName);
    DicomWindow? window = null;
    if (r.GetValue(windowOpt) is { } w)
    {
        var parts = w.Split(',');
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var c)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var wd) || wd < 1)
            throw new DicomDataException($"--window expects CENTER,WIDTH with WIDTH >= 1, got '{w}'");
        window = new DicomWindow(c, wd);
    }
    var output = r.GetValue(outArg)!.FullName;
    var ext = Path.GetExtension(output).ToLowerInvariant();
    var bytes = ext is ".jpg" or ".jpeg"
        ? DicomRenderer.RenderJpeg(file.Dataset, file.TransferSyntax, r.GetValue(frameOpt), window)
        : DicomRenderer.RenderPng(file.Dataset, file.TransferSyntax, r.GetValue(frameOpt), window);
    File.WriteAllBytes(output, bytes);
}));

var validate = new Command("validate", "Check the file against PS3.5/PS3.10 encoding rules; exit 1 when errors are found") { fileArg };
validate.SetAction(r => Run(() =>
{
    var issues = DicomValidator.Validate(DicomFile.Open(r.GetValue(fileArg)!.FullName));
    foreach (var issue in issues) Console.Out.WriteLine(issue);
    var errors = issues.Count(i => i.Severity == DicomIssueSeverity.Error);
    Console.Out.WriteLine(errors == 0 ? $"valid ({issues.Count} warning(s))" : $"{errors} error(s), {issues.Count - errors} warning(s)");
    return errors == 0 ? 0 : 1;
}));

var root = new RootCommand("dicomtool — read, convert, render and validate DICOM files (FedNano)") { dump, json, convert, render, validate };
return root.Parse(args).Invoke();

static int Run(Func<int> action)
{
    try { return action(); }
    catch (Exception ex) when (ex is DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
    {
        Console.Error.WriteLine("dicomtool: error: " + ex.Message.ReplaceLineEndings(" "));
        return 1;
    }
}

static int RunVoid(Action action) => Run(() => { action(); return 0; });
