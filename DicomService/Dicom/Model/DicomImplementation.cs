namespace FedNano.Dicom;

/// <summary>How this implementation identifies itself in file meta information (PS3.7 D.3.3.2).</summary>
public static class DicomImplementation
{
    /// <summary>Implementation Class UID of FedNano (a UUID-derived UID under 2.25, fixed for this codec).</summary>
    public const string ClassUid = "2.25.246871288498664246523334651782619704663";

    /// <summary>Implementation Version Name (at most 16 characters).</summary>
    public const string VersionName = "FEDNANO_0_1";
}
