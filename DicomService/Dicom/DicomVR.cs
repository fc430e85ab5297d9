namespace FedNano.Dicom;

/// <summary>The DICOM value representations of PS3.5 §6.2.</summary>
public enum DicomVR : byte
{
    /// <summary>No VR known (only transiently, while reading implicit VR data of an unknown tag).</summary>
    None = 0,
    /// <summary>Application Entity.</summary>
    AE, /// <summary>Age String.</summary>
    AS, /// <summary>Attribute Tag.</summary>
    AT, /// <summary>Code String.</summary>
    CS, /// <summary>Date.</summary>
    DA, /// <summary>Decimal String.</summary>
    DS, /// <summary>Date Time.</summary>
    DT, /// <summary>Floating Point Double.</summary>
    FD, /// <summary>Floating Point Single.</summary>
    FL, /// <summary>Integer String.</summary>
    IS, /// <summary>Long String.</summary>
    LO, /// <summary>Long Text.</summary>
    LT, /// <summary>Other Byte.</summary>
    OB, /// <summary>Other Double.</summary>
    OD, /// <summary>Other Float.</summary>
    OF, /// <summary>Other Long.</summary>
    OL, /// <summary>Other 64-bit Very Long.</summary>
    OV, /// <summary>Other Word.</summary>
    OW, /// <summary>Person Name.</summary>
    PN, /// <summary>Short String.</summary>
    SH, /// <summary>Signed Long.</summary>
    SL, /// <summary>Sequence of Items.</summary>
    SQ, /// <summary>Signed Short.</summary>
    SS, /// <summary>Short Text.</summary>
    ST, /// <summary>Signed 64-bit Very Long.</summary>
    SV, /// <summary>Time.</summary>
    TM, /// <summary>Unlimited Characters.</summary>
    UC, /// <summary>Unique Identifier.</summary>
    UI, /// <summary>Unsigned Long.</summary>
    UL, /// <summary>Unknown.</summary>
    UN, /// <summary>Universal Resource Identifier / Locator.</summary>
    UR, /// <summary>Unsigned Short.</summary>
    US, /// <summary>Unlimited Text.</summary>
    UT, /// <summary>Unsigned 64-bit Very Long.</summary>
    UV,
}

/// <summary>Encoding properties of each <see cref="DicomVR"/>.</summary>
public static class DicomVRInfo
{
    /// <summary>True when explicit VR encoding uses 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1).</summary>
    public static bool HasLongLength(this DicomVR vr) => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL
        or DicomVR.OV or DicomVR.OW or DicomVR.SQ or DicomVR.SV or DicomVR.UC or DicomVR.UN or DicomVR.UR
        or DicomVR.UT or DicomVR.UV;

    /// <summary>True for character-string VRs (values are text, multiple values separated by backslash).</summary>
    public static bool IsString(this DicomVR vr) => vr is DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA
        or DicomVR.DS or DicomVR.DT or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH
        or DicomVR.ST or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UR or DicomVR.UT;

    /// <summary>True for text VRs whose bytes depend on Specific Character Set (PS3.5 §6.1.2.3).</summary>
    public static bool IsCharacterSetDependent(this DicomVR vr) => vr is DicomVR.SH or DicomVR.LO or DicomVR.ST
        or DicomVR.LT or DicomVR.UT or DicomVR.PN or DicomVR.UC;

    /// <summary>True for VRs that never hold more than one value (backslash is an ordinary character).</summary>
    public static bool IsSingleValuedText(this DicomVR vr) => vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR;

    /// <summary>Size in bytes of one binary value (AT: 4), or 0 for strings, sequences and OB/UN.</summary>
    public static int ValueSize(this DicomVR vr) => vr switch
    {
        DicomVR.SS or DicomVR.US or DicomVR.OW => 2,
        DicomVR.SL or DicomVR.UL or DicomVR.FL or DicomVR.OF or DicomVR.OL or DicomVR.AT => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => 8,
        _ => 0,
    };

    /// <summary>Byte-swap unit for big-endian conversion (AT swaps as two 16-bit words).</summary>
    public static int SwapUnit(this DicomVR vr) => vr == DicomVR.AT ? 2 : vr.ValueSize();

    /// <summary>The padding byte that makes odd-length values even: space for text, NUL for UI and binary.</summary>
    public static byte PaddingByte(this DicomVR vr) => vr.IsString() && vr != DicomVR.UI ? (byte)' ' : (byte)0;

    /// <summary>Maximum length in bytes (or characters for character-set dependent VRs) of one value, 0 when unbounded.</summary>
    public static int MaxValueLength(this DicomVR vr) => vr switch
    {
        DicomVR.AE => 16, DicomVR.AS => 4, DicomVR.CS => 16, DicomVR.DA => 8, DicomVR.DS => 16, DicomVR.DT => 26,
        DicomVR.IS => 12, DicomVR.LO => 64, DicomVR.LT => 10240, DicomVR.PN => 64 * 3 + 2, DicomVR.SH => 16,
        DicomVR.ST => 1024, DicomVR.TM => 14, DicomVR.UI => 64,
        _ => 0,
    };

    /// <summary>Parses a two-letter VR code; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> code, out DicomVR vr)
    {
        vr = DicomVR.None;
        if (code.Length != 2) return false;
        vr = FromCode((ushort)((code[0] << 8) | code[1]));
        return vr != DicomVR.None;
    }

    /// <summary>Parses a two-letter VR code from text; false for anything else.</summary>
    public static bool TryParse(string code, out DicomVR vr)
    {
        vr = DicomVR.None;
        if (code is not { Length: 2 }) return false;
        vr = FromCode((ushort)((code[0] << 8) | code[1]));
        return vr != DicomVR.None;
    }

    private static DicomVR FromCode(ushort c) => c switch
    {
        0x4145 => DicomVR.AE, 0x4153 => DicomVR.AS, 0x4154 => DicomVR.AT, 0x4353 => DicomVR.CS, 0x4441 => DicomVR.DA,
        0x4453 => DicomVR.DS, 0x4454 => DicomVR.DT, 0x4644 => DicomVR.FD, 0x464C => DicomVR.FL, 0x4953 => DicomVR.IS,
        0x4C4F => DicomVR.LO, 0x4C54 => DicomVR.LT, 0x4F42 => DicomVR.OB, 0x4F44 => DicomVR.OD, 0x4F46 => DicomVR.OF,
        0x4F4C => DicomVR.OL, 0x4F56 => DicomVR.OV, 0x4F57 => DicomVR.OW, 0x504E => DicomVR.PN, 0x5348 => DicomVR.SH,
        0x534C => DicomVR.SL, 0x5351 => DicomVR.SQ, 0x5353 => DicomVR.SS, 0x5354 => DicomVR.ST, 0x5356 => DicomVR.SV,
        0x544D => DicomVR.TM, 0x5543 => DicomVR.UC, 0x5549 => DicomVR.UI, 0x554C => DicomVR.UL, 0x554E => DicomVR.UN,
        0x5552 => DicomVR.UR, 0x5553 => DicomVR.US, 0x5554 => DicomVR.UT, 0x5556 => DicomVR.UV,
        _ => DicomVR.None,
    };
}
