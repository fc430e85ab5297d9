using System.Globalization;
using FedNano.Dicom;

namespace FedNano.FederatedMLLM.Reports;

/// <summary>
/// Radiology reports as DICOM Basic Text SR (PS3.3 A.35.1): a CONTAINER "Diagnostic imaging report" (LOINC 18748-4)
/// whose TEXT children hold the findings (DCM 121071) and the impression (DCM 121073). Sites keep reports either as
/// text files or as such SR objects in their PACS; <see cref="ReadText"/> gets the text back from either form's SR.
/// </summary>
public static class BasicTextSr
{
    /// <summary>Basic Text SR Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.88.11";

    /// <summary>
    /// An SR instance holding <paramref name="report"/> for the study of <paramref name="source"/> (patient and study
    /// attributes copied from it). A "FINDINGS: … IMPRESSION: …" report becomes two TEXT items, other text one.
    /// </summary>
    public static DicomDataset Write(string report, DicomDataset source, string? seriesInstanceUid = null, DateTimeOffset? when = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(report);
        ArgumentNullException.ThrowIfNull(source);
        var study = source.GetString(DicomTags.StudyInstanceUID) ?? throw new ArgumentException("The source has no Study Instance UID.", nameof(source));
        var time = when ?? DateTimeOffset.UtcNow;
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SopClassUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyDate,
                     DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber })
        {
            if (source.GetItem(tag) is { } item) ds.AddOrUpdate(item.Clone());
            else ds.AddOrUpdate(tag, DicomVR.None, Array.Empty<string>()); // type 2: present, empty
        }
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "SR");
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesInstanceUid ?? DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, "900");
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "1");
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "FedNano");
        ds.AddOrUpdate(DicomTags.ReferencedPerformedProcedureStepSequence, Array.Empty<DicomDataset>());
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, time.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, time.ToString("HHmmss", CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, "CONTAINER");
        ds.AddOrUpdate(DicomTags.ConceptNameCodeSequence, Code("18748-4", "LN", "Diagnostic imaging report"));
        ds.AddOrUpdate(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE");
        ds.AddOrUpdate(DicomTags.CompletionFlag, DicomVR.CS, "COMPLETE");
        ds.AddOrUpdate(DicomTags.VerificationFlag, DicomVR.CS, "UNVERIFIED");
        ds.AddOrUpdate(DicomTags.PerformedProcedureCodeSequence, Array.Empty<DicomDataset>());
        ds.AddOrUpdate(DicomTags.ContentSequence, Sections(report).Select(s => Text(s.Code, s.Meaning, s.Text)).ToArray());
        return ds;
    }

    /// <summary>The report text of an SR instance: its TEXT items in document order, a findings/impression pair joined back as "FINDINGS: … IMPRESSION: …".</summary>
    /// <exception cref="FormatException">The instance is not a structured report or holds no text.</exception>
    public static string ReadText(DicomDataset sr)
    {
        ArgumentNullException.ThrowIfNull(sr);
        if (sr.GetString(DicomTags.Modality) != "SR" && !(sr.GetString(DicomTags.SOPClassUID) ?? "").StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal))
            throw new FormatException($"Instance {sr.GetString(DicomTags.SOPInstanceUID)} is not a structured report (SOP class {sr.GetString(DicomTags.SOPClassUID)}).");
        var parts = new List<(string Code, string Text)>();
        Collect(sr, parts);
        if (parts.Count == 0) throw new FormatException($"Structured report {sr.GetString(DicomTags.SOPInstanceUID)} holds no TEXT item.");
        var findings = parts.FirstOrDefault(p => p.Code == "121071").Text;
        var impression = parts.FirstOrDefault(p => p.Code == "121073").Text;
        if (parts.Count == 2 && findings is not null && impression is not null) return $"FINDINGS: {findings} IMPRESSION: {impression}";
        return string.Join(" ", parts.Select(p => p.Text));
    }

    private static void Collect(DicomDataset node, List<(string Code, string Text)> parts)
    {
        foreach (var item in node.GetSequenceItems(DicomTags.ContentSequence))
        {
            if (item.GetString(DicomTags.ValueType) == "TEXT" && item.GetString(DicomTags.TextValue) is { Length: > 0 } text)
            {
                var code = item.GetSequenceItems(DicomTags.ConceptNameCodeSequence).FirstOrDefault()?.GetString(DicomTags.CodeValue) ?? "";
                parts.Add((code, text.Trim()));
            }
            Collect(item, parts);
        }
    }

    private static IEnumerable<(string Code, string Meaning, string Text)> Sections(string report)
    {
        const string F = "FINDINGS:", I = "IMPRESSION:";
        int f = report.IndexOf(F, StringComparison.Ordinal), i = report.IndexOf(I, StringComparison.Ordinal);
        if (f == 0 && i > f)
        {
            yield return ("121071", "Finding", report[F.Length..i].Trim());
            yield return ("121073", "Impression", report[(i + I.Length)..].Trim());
        }
        else
        {
            yield return ("121071", "Finding", report.Trim());
        }
    }

    private static DicomDataset Text(string code, string meaning, string text)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.RelationshipType, DicomVR.CS, "CONTAINS");
        item.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, "TEXT");
        item.AddOrUpdate(DicomTags.ConceptNameCodeSequence, Code(code, "DCM", meaning));
        item.AddOrUpdate(DicomTags.TextValue, DicomVR.UT, text);
        return item;
    }

    private static DicomDataset Code(string value, string scheme, string meaning)
    {
        var code = new DicomDataset();
        code.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, value);
        code.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, scheme);
        code.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, meaning);
        return code;
    }
}
