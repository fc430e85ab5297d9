using FedNano.Dicom;

namespace FedNano.DicomService.Core.Query;

/// <summary>How an attribute's value is kept in the index, which decides how it can be matched.</summary>
public enum QueryValueKind
{
    /// <summary>Text matched exactly (case-sensitive) or by wildcard.</summary>
    Text,
    /// <summary>Code string: exact, wildcard or list matching.</summary>
    Code,
    /// <summary>UID: exact or list matching.</summary>
    Uid,
    /// <summary>Person name: case-insensitive exact or wildcard matching, fuzzy matching on name components.</summary>
    PersonName,
    /// <summary>Date (DA): exact or range matching.</summary>
    Date,
    /// <summary>Time (TM): exact (as a range covering the precision given) or range matching.</summary>
    Time,
    /// <summary>Date time (DT): exact (as a range) or range matching.</summary>
    DateTime,
    /// <summary>Integer (IS, US): exact or list matching.</summary>
    Integer,
}

/// <summary>An attribute the index knows for QIDO-RS (PS3.18 Table 10.6.1-5 and the default return attributes of Tables 10.6.3-3/4/5).</summary>
public sealed class QueryAttribute
{
    internal QueryAttribute(DicomTag tag, ResourceLevel level, QueryValueKind kind, string? column, bool matchable = true)
    {
        Tag = tag;
        Keyword = DicomDictionary.GetKeyword(tag);
        VR = DicomDictionary.GetVR(tag);
        Level = level;
        Kind = kind;
        Column = column;
        IsMatchable = matchable;
    }

    /// <summary>The attribute tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The PS3.6 keyword.</summary>
    public string Keyword { get; }

    /// <summary>The dictionary VR.</summary>
    public DicomVR VR { get; }

    /// <summary>The level whose index row holds the value.</summary>
    public ResourceLevel Level { get; }

    /// <summary>How the value is stored and matched.</summary>
    public QueryValueKind Kind { get; }

    /// <summary>The index column holding the value; null for values computed at query time (counts, Modalities in Study).</summary>
    public string? Column { get; }

    /// <summary>True when the attribute's value is computed from other rows at query time.</summary>
    public bool IsComputed => Column is null;

    /// <summary>True when a query may match on the attribute.</summary>
    public bool IsMatchable { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Keyword} {Tag}";
}

/// <summary>The attributes the index holds, and the default return attributes of each QIDO-RS level.</summary>
public static class QueryAttributes
{
    /// <summary>Every attribute the index knows, study level first.</summary>
    public static IReadOnlyList<QueryAttribute> All { get; }

    private static readonly Dictionary<DicomTag, QueryAttribute> ByTag;

#pragma warning disable CA1810 // built once, in order
    static QueryAttributes()
#pragma warning restore CA1810
    {
        QueryAttribute A(DicomTag tag, ResourceLevel level, QueryValueKind kind, string? column, bool matchable = true) => new(tag, level, kind, column, matchable);
        const ResourceLevel St = ResourceLevel.Study, Se = ResourceLevel.Series, In = ResourceLevel.Instance;
        All =
        [
            A(DicomTags.StudyInstanceUID, St, QueryValueKind.Uid, "study_uid"),
            A(DicomTags.StudyDate, St, QueryValueKind.Date, "study_date"),
            A(DicomTags.StudyTime, St, QueryValueKind.Time, "study_time"),
            A(DicomTags.AccessionNumber, St, QueryValueKind.Text, "accession_number"),
            A(DicomTags.ReferringPhysicianName, St, QueryValueKind.PersonName, "referring_physician_name"),
            A(DicomTags.PatientName, St, QueryValueKind.PersonName, "patient_name"),
            A(DicomTags.PatientID, St, QueryValueKind.Text, "patient_id"),
            A(DicomTags.IssuerOfPatientID, St, QueryValueKind.Text, "issuer_of_patient_id"),
            A(DicomTags.PatientBirthDate, St, QueryValueKind.Date, "patient_birth_date"),
            A(DicomTags.PatientSex, St, QueryValueKind.Code, "patient_sex"),
            A(DicomTags.StudyID, St, QueryValueKind.Text, "study_id"),
            A(DicomTags.StudyDescription, St, QueryValueKind.Text, "study_description"),
            A(DicomTags.TimezoneOffsetFromUTC, St, QueryValueKind.Text, "timezone_offset"),
            A(DicomTags.ModalitiesInStudy, St, QueryValueKind.Code, null),
            A(DicomTags.NumberOfStudyRelatedSeries, St, QueryValueKind.Integer, null, matchable: false),
            A(DicomTags.NumberOfStudyRelatedInstances, St, QueryValueKind.Integer, null, matchable: false),

            A(DicomTags.SeriesInstanceUID, Se, QueryValueKind.Uid, "series_uid"),
            A(DicomTags.Modality, Se, QueryValueKind.Code, "modality"),
            A(DicomTags.SeriesNumber, Se, QueryValueKind.Integer, "series_number"),
            A(DicomTags.SeriesDescription, Se, QueryValueKind.Text, "series_description"),
            A(DicomTags.SeriesDate, Se, QueryValueKind.Date, "series_date"),
            A(DicomTags.SeriesTime, Se, QueryValueKind.Time, "series_time"),
            A(DicomTags.BodyPartExamined, Se, QueryValueKind.Code, "body_part_examined"),
            A(DicomTags.PerformedProcedureStepStartDate, Se, QueryValueKind.Date, "pps_start_date"),
            A(DicomTags.PerformedProcedureStepStartTime, Se, QueryValueKind.Time, "pps_start_time"),
            A(DicomTags.NumberOfSeriesRelatedInstances, Se, QueryValueKind.Integer, null, matchable: false),

            A(DicomTags.SOPInstanceUID, In, QueryValueKind.Uid, "sop_uid"),
            A(DicomTags.SOPClassUID, In, QueryValueKind.Uid, "sop_class_uid"),
            A(DicomTags.InstanceNumber, In, QueryValueKind.Integer, "instance_number"),
            A(DicomTags.ContentDate, In, QueryValueKind.Date, "content_date"),
            A(DicomTags.ContentTime, In, QueryValueKind.Time, "content_time"),
            A(DicomTags.AcquisitionDateTime, In, QueryValueKind.DateTime, "acquisition_datetime"),
            A(DicomTags.Rows, In, QueryValueKind.Integer, "rows"),
            A(DicomTags.Columns, In, QueryValueKind.Integer, "columns"),
            A(DicomTags.BitsAllocated, In, QueryValueKind.Integer, "bits_allocated"),
            A(DicomTags.NumberOfFrames, In, QueryValueKind.Integer, "number_of_frames"),
        ];
        ByTag = All.ToDictionary(a => a.Tag);
    }

    /// <summary>The attributes of one level.</summary>
    public static IEnumerable<QueryAttribute> AtLevel(ResourceLevel level) => All.Where(a => a.Level == level);

    /// <summary>The stored (not computed) attributes of one level.</summary>
    public static IEnumerable<QueryAttribute> StoredAtLevel(ResourceLevel level) => All.Where(a => a.Level == level && !a.IsComputed);

    /// <summary>Looks up an indexed attribute by tag.</summary>
    public static bool TryGet(DicomTag tag, out QueryAttribute attribute) => ByTag.TryGetValue(tag, out attribute!);

    /// <summary>The indexed attribute with this tag.</summary>
    public static QueryAttribute Get(DicomTag tag) => ByTag[tag];

    /// <summary>
    /// Default return attributes of a level (PS3.18 Tables 10.6.3-3, -4, -5), as far as the index holds them; Specific
    /// Character Set, Instance Availability and Retrieve URL are added by the query service or the host.
    /// </summary>
    public static IReadOnlyList<DicomTag> DefaultReturn(ResourceLevel level) => level switch
    {
        ResourceLevel.Study =>
        [
            DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ModalitiesInStudy,
            DicomTags.ReferringPhysicianName, DicomTags.TimezoneOffsetFromUTC, DicomTags.StudyDescription, DicomTags.PatientName,
            DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyInstanceUID, DicomTags.StudyID,
            DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances,
        ],
        ResourceLevel.Series =>
        [
            DicomTags.Modality, DicomTags.SeriesDescription, DicomTags.SeriesInstanceUID, DicomTags.SeriesNumber,
            DicomTags.NumberOfSeriesRelatedInstances, DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime,
        ],
        _ =>
        [
            DicomTags.SOPClassUID, DicomTags.SOPInstanceUID, DicomTags.InstanceNumber, DicomTags.Rows, DicomTags.Columns,
            DicomTags.BitsAllocated, DicomTags.NumberOfFrames,
        ],
    };
}
