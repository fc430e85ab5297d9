namespace FedNano.Dicom;

/// <summary>The kinds of UID registered in PS3.6 Annex A.</summary>
public enum DicomUidType
{
    /// <summary>A transfer syntax (PS3.5 §10).</summary>
    TransferSyntax,
    /// <summary>A SOP class (storage, query/retrieve, worklist, ...).</summary>
    SopClass,
    /// <summary>A meta SOP class (a group of SOP classes negotiated together).</summary>
    MetaSopClass,
    /// <summary>A well-known SOP instance (e.g. Storage Commitment Push Model SOP Instance, color palettes).</summary>
    WellKnownSopInstance,
    /// <summary>A well-known frame of reference (atlases, IEC 61217, UTC synchronization).</summary>
    WellKnownFrameOfReference,
    /// <summary>A coding scheme (e.g. DCM, the DICOM UID registry as a coding scheme).</summary>
    CodingScheme,
    /// <summary>An application context name (the DICOM Application Context Name).</summary>
    ApplicationContextName,
    /// <summary>A service class.</summary>
    ServiceClass,
    /// <summary>Anything else (application hosting models, mapping resources).</summary>
    Other,
}

/// <summary>One registered UID of PS3.6 Annex A. Immutable.</summary>
public sealed class DicomUidInfo
{
    /// <summary>Creates a UID description.</summary>
    public DicomUidInfo(string uid, string name, string keyword, DicomUidType type, bool isRetired)
    {
        ArgumentNullException.ThrowIfNull(uid);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(keyword);
        Uid = uid;
        Name = name;
        Keyword = keyword;
        Type = type;
        IsRetired = isRetired;
    }

    /// <summary>The UID, e.g. <c>1.2.840.10008.5.1.4.1.1.2</c>.</summary>
    public string Uid { get; }

    /// <summary>The PS3.6 name, e.g. <c>CT Image Storage</c>.</summary>
    public string Name { get; }

    /// <summary>The PS3.6 keyword, e.g. <c>CTImageStorage</c> (also the name of the <see cref="DicomUids"/> constant).</summary>
    public string Keyword { get; }

    /// <summary>What kind of UID this is.</summary>
    public DicomUidType Type { get; }

    /// <summary>True for UIDs PS3.6 lists as retired.</summary>
    public bool IsRetired { get; }

    /// <summary>Formats as <c>Name (Uid)</c>.</summary>
    public override string ToString() => $"{Name} ({Uid})";
}
