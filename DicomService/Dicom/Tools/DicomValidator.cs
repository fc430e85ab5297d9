using System.Globalization;

namespace FedNano.Dicom;

/// <summary>How serious a validation finding is.</summary>
public enum DicomIssueSeverity
{
    /// <summary>Not conformant, but readers cope.</summary>
    Warning,
    /// <summary>Not conformant in a way that breaks readers or loses meaning.</summary>
    Error,
}

/// <summary>One validation finding.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Path">Where: a tag path such as <c>(0040,0275)[1].(0040,0009)</c>, or empty for the whole file.</param>
/// <param name="Message">What is wrong.</param>
public sealed record DicomIssue(DicomIssueSeverity Severity, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Severity == DicomIssueSeverity.Error ? "error" : "warning")}: {(Path.Length > 0 ? Path + " " : "")}{Message}";
}

/// <summary>
/// Checks a file against the encoding rules of PS3.5 and PS3.10 (file meta, VRs, value lengths,
/// value multiplicity, value formats, UIDs) and the consistency of the Image Pixel module.
/// </summary>
public static class DicomValidator
{
    /// <summary>All findings for <paramref name="file"/>; empty when it conforms.</summary>
    public static IReadOnlyList<DicomIssue> Validate(DicomFile file)
    {
        var issues = new List<DicomIssue>();
        foreach (var w in file.Warnings)
            issues.Add(new DicomIssue(DicomIssueSeverity.Warning, w.Tag?.ToString() ?? "", $"{w.Message} (offset {w.Offset})"));

        var meta = file.FileMetaInfo;
        if (meta.Count == 0)
            issues.Add(new DicomIssue(DicomIssueSeverity.Error, "", "no file meta information (not a DICOM Part 10 file)"));
        else
        {
            foreach (var required in new[] { DicomTags.FileMetaInformationVersion, DicomTags.MediaStorageSOPClassUID,
                         DicomTags.MediaStorageSOPInstanceUID, DicomTags.TransferSyntaxUID, DicomTags.ImplementationClassUID })
                if (!meta.Contains(required))
                    issues.Add(new DicomIssue(DicomIssueSeverity.Error, required.ToString(), $"required file meta element {DicomDictionary.GetKeyword(required)} is missing"));
            Compare(meta, DicomTags.MediaStorageSOPClassUID, file.Dataset, DicomTags.SOPClassUID, issues);
            Compare(meta, DicomTags.MediaStorageSOPInstanceUID, file.Dataset, DicomTags.SOPInstanceUID, issues);
            CheckDataset(meta, "", issues);
        }
        foreach (var required in new[] { DicomTags.SOPClassUID, DicomTags.SOPInstanceUID })
            if (!file.Dataset.Contains(required))
                issues.Add(new DicomIssue(DicomIssueSeverity.Error, required.ToString(), $"{DicomDictionary.GetKeyword(required)} is missing"));

        CheckDataset(file.Dataset, "", issues);

        if (file.Dataset.Contains(DicomTags.PixelData))
        {
            try { _ = DicomPixelData.Create(file.Dataset, file.TransferSyntax); }
            catch (DicomDataException ex) { issues.Add(new DicomIssue(DicomIssueSeverity.Error, DicomTags.PixelData.ToString(), ex.Message)); }
        }
        return issues;
    }

    private static void Compare(DicomDataset meta, DicomTag metaTag, DicomDataset ds, DicomTag dsTag, List<DicomIssue> issues)
    {
        var a = meta.GetString(metaTag);
        var b = ds.GetString(dsTag);
        if (a is not null && b is not null && a != b)
            issues.Add(new DicomIssue(DicomIssueSeverity.Error, metaTag.ToString(),
                $"{DicomDictionary.GetKeyword(metaTag)} '{a}' differs from {DicomDictionary.GetKeyword(dsTag)} '{b}'"));
    }

    private static void CheckDataset(DicomDataset ds, string prefix, List<DicomIssue> issues)
    {
        foreach (var item in ds)
        {
            var path = prefix + item.Tag;
            if (item is DicomSequence s)
            {
                CheckDictionaryVR(ds, item, path, issues);
                for (var i = 0; i < s.Items.Count; i++) CheckDataset(s.Items[i], $"{path}[{i + 1}].", issues);
                continue;
            }
            if (item is not DicomElement e) continue;
            CheckDictionaryVR(ds, item, path, issues);
            CheckValue(ds, e, path, issues);
        }
    }

    private static void CheckDictionaryVR(DicomDataset ds, DicomItem item, string path, List<DicomIssue> issues)
    {
        if (item.Tag.IsPrivate || item.Tag.IsGroupLength || item.VR == DicomVR.UN) return;
        if (!DicomDictionary.TryGet(item.Tag, out var entry))
        {
            issues.Add(new DicomIssue(DicomIssueSeverity.Warning, path, "unknown public tag"));
            return;
        }
        if (!entry.VRs.Contains(item.VR) && entry.VR != DicomVR.None)
            issues.Add(new DicomIssue(DicomIssueSeverity.Error, path,
                $"{entry.Keyword} has VR {item.VR}; the dictionary says {string.Join('/', entry.VRs)}"));
        if (entry.IsRetired)
            issues.Add(new DicomIssue(DicomIssueSeverity.Warning, path, $"{entry.Keyword} is retired"));
        if (item is DicomElement e && e.VR.IsString() && !e.VR.IsSingleValuedText())
        {
            var count = e.Length == 0 ? 0 : ds.GetStrings(e.Tag).Length;
            if (count > 0 && !MatchesVM(entry.VM, count))
                issues.Add(new DicomIssue(DicomIssueSeverity.Error, path, $"{entry.Keyword} has {count} values; VM is {entry.VM}"));
        }
        else if (item is DicomElement b && b.VR.ValueSize() > 0 && b.VR is not (DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV))
        {
            var count = (int)b.BinaryValueCount;
            if (count > 0 && !MatchesVM(entry.VM, count))
                issues.Add(new DicomIssue(DicomIssueSeverity.Error, path, $"{entry.Keyword} has {count} values; VM is {entry.VM}"));
        }
    }

    /// <summary>True when <paramref name="count"/> values satisfy a dictionary VM such as 1, 1-3, 1-n, 2-2n.</summary>
    public static bool MatchesVM(string vm, int count)
    {
        if (string.IsNullOrEmpty(vm)) return true;
        var parts = vm.Split('-');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)) return true;
        if (parts.Length == 1) return count == min;
        var max = parts[1];
        if (max == "n") return count >= min;
        if (max.EndsWith('n'))
        {
            var step = int.TryParse(max[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 1;
            return count >= min && count % step == 0;
        }
        return int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var hi) && count >= min && count <= hi;
    }

    private static void CheckValue(DicomDataset ds, DicomElement e, string path, List<DicomIssue> issues)
    {
        var size = e.VR.ValueSize();
        if (size > 0 && e.Length % size != 0)
        {
            issues.Add(new DicomIssue(DicomIssueSeverity.Error, path, $"{e.VR} value length {e.Length} is not a multiple of {size}"));
            return;
        }
        if (!e.VR.IsString() || e.Length == 0) return;
        string[] values;
        try { values = e.VR.IsSingleValuedText() ? [ds.DecodeText(e)] : ds.GetStrings(e.Tag); }
        catch (Exception ex) when (ex is DicomDataException or ArgumentException)
        {
            issues.Add(new DicomIssue(DicomIssueSeverity.Error, path, "value cannot be decoded: " + ex.Message));
            return;
        }
        var max = e.VR.MaxValueLength();
        foreach (var v in values)
        {
            if (max > 0 && v.Length > max)
                issues.Add(new DicomIssue(DicomIssueSeverity.Error, path, $"{e.VR} value '{Cut(v)}' is {v.Length} characters (at most {max})"));
            var problem = CheckFormat(e.VR, v);
            if (problem is not null) issues.Add(new DicomIssue(DicomIssueSeverity.Error, path, problem));
        }
    }

    private static string Cut(string v) => v.Length > 40 ? v[..40] + "…" : v;

    private static string? CheckFormat(DicomVR vr, string v)
    {
        if (v.Length == 0) return null;
        switch (vr)
        {
            case DicomVR.UI:
                return DicomUid.Validate(v) is { } why ? $"'{Cut(v)}': {why}" : null;
            case DicomVR.CS:
                return v.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is ' ' or '_')
                    ? null : $"CS value '{Cut(v)}' has characters outside A-Z 0-9 space underscore";
            case DicomVR.DA:
                return DicomDateTime.ParseDate(v) is null ? $"'{Cut(v)}' is not a valid date (YYYYMMDD)" : null;
            case DicomVR.TM:
                return DicomDateTime.ParseTime(v) is null ? $"'{Cut(v)}' is not a valid time (HHMMSS.FFFFFF)" : null;
            case DicomVR.DT:
                return DicomDateTime.ParseDateTime(v) is null ? $"'{Cut(v)}' is not a valid date-time" : null;
            case DicomVR.IS:
                return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) && i is >= int.MinValue and <= int.MaxValue
                    ? null : $"'{Cut(v)}' is not a valid integer string";
            case DicomVR.DS:
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? null : $"'{Cut(v)}' is not a valid decimal string";
            case DicomVR.AS:
                return v.Length == 4 && char.IsAsciiDigit(v[0]) && char.IsAsciiDigit(v[1]) && char.IsAsciiDigit(v[2]) && v[3] is 'D' or 'W' or 'M' or 'Y'
                    ? null : $"'{Cut(v)}' is not a valid age string (nnnD/W/M/Y)";
            case DicomVR.AE:
                return v.Any(c => c == '\\' || char.IsControl(c)) ? $"AE '{Cut(v)}' has control characters" : null;
            default:
                return null;
        }
    }
}
