namespace FedNano.DicomService.Core;

/// <summary>The failure and warning codes STOW-RS reports per instance (PS3.18 §10.5.3, PS3.4 Annex B, PS3.7 Annex C).</summary>
public static class StowStatus
{
    /// <summary>0x0110 Processing failure: an unexpected error (details in the message).</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>0x0111 Duplicate SOP instance: the SOP Instance UID is already stored with different content.</summary>
    public const ushort DuplicateSopInstance = 0x0111;

    /// <summary>0x0122 SOP class not supported: the SOP Class UID is a registered UID that is not a storage SOP class.</summary>
    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>0xA700 Out of resources: the instance is larger than allowed, or the disk is (nearly) full.</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>0xA900 Data set does not match SOP class: a required UID is missing or invalid, the study differs from the request URL, or the series belongs to another study.</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>0xC000 Cannot understand: the part is not a readable DICOM Part 10 file, or not <c>application/dicom</c>.</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>0xC122 Transfer syntax not supported: the file's transfer syntax UID is unknown.</summary>
    public const ushort TransferSyntaxNotSupported = 0xC122;

    /// <summary>0xB000 Coercion of data elements (warning).</summary>
    public const ushort CoercionOfDataElements = 0xB000;

    /// <summary>0xB006 Elements discarded (warning).</summary>
    public const ushort ElementsDiscarded = 0xB006;

    /// <summary>0xB007 Data set does not match SOP class (warning): stored, but e.g. its Pixel Data cannot be split into frames.</summary>
    public const ushort DataSetDoesNotMatchSopClassWarning = 0xB007;
}
