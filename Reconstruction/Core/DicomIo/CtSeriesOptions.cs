namespace FedNano.Reconstruction.DicomIo;

/// <summary>What <see cref="CtImageSeriesWriter"/> writes into a reconstructed CT image series besides the voxels.</summary>
/// <param name="SeriesDescription">Series Description (0008,103E), at most 64 characters.</param>
/// <param name="SeriesNumber">Series Number (0020,0011); the raw projection series is number 1.</param>
/// <param name="ConvolutionKernel">Convolution Kernel (0018,1210), at most 16 characters, e.g. "RAMP" or "SHEPP-LOGAN".</param>
/// <param name="SeriesInstanceUid">Series Instance UID of the new series, or null to generate one; must differ from the raw series'.</param>
/// <param name="WindowCenterHu">Default display window centre (HU).</param>
/// <param name="WindowWidthHu">Default display window width (HU, ≥ 1).</param>
/// <param name="ReconstructionMethod">
/// How the images were made, in words (e.g. "SSRB + fan-beam FBP, 4x2g2 sparse detector, gaps interpolated in z");
/// stored in Derivation Description (0008,2111, ST, at most 1024 characters), the General Image module's free-text
/// account of how a DERIVED image was obtained. Empty to omit.
/// </param>
/// <param name="SliceThicknessMm">Slice Thickness (0018,0050) in mm, or null for the slice spacing.</param>
/// <param name="LungWindow">
/// Add the lung window (−600/1500 HU) as a second preset after the default window, with Window Center &amp; Width
/// Explanation naming both (MEDIASTINUM\LUNG), so that viewers offer both presets.
/// </param>
public sealed record CtSeriesOptions(
    string SeriesDescription = "Reconstruction",
    int SeriesNumber = 2,
    string ConvolutionKernel = "RAMP",
    string? SeriesInstanceUid = null,
    double WindowCenterHu = 40,
    double WindowWidthHu = 400,
    string ReconstructionMethod = "",
    double? SliceThicknessMm = null,
    bool LungWindow = false)
{
    /// <summary>The lung window preset (centre −600 HU, width 1500 HU).</summary>
    public static (double CenterHu, double WidthHu) LungPreset { get; } = (-600, 1500);

    /// <summary>
    /// Patient and study attributes copied verbatim into every instance (e.g. from the raw series: birth date, sex,
    /// study date/time, accession number, referring physician, study ID); null to leave them empty.
    /// </summary>
    public FedNano.Dicom.DicomDataset? PatientStudySource { get; init; }

    /// <summary>
    /// The raw projection views the series was reconstructed from. Each slice lists, in its Source Image Sequence
    /// (0008,2112), the views whose focal spot lies within <see cref="SourceWindowMm"/>/2 of the slice in z.
    /// </summary>
    public IReadOnlyList<SourceView>? SourceViews { get; init; }

    /// <summary>Width in z (mm) of the views a slice references (typically one rotation's table feed).</summary>
    public double SourceWindowMm { get; init; }

    /// <summary>The defaults: soft-tissue window (40/400 HU), ramp kernel, series number 2.</summary>
    public static CtSeriesOptions Default { get; } = new();

    /// <summary>Checks lengths and ranges against the DICOM value representations they are written as.</summary>
    /// <exception cref="ArgumentException">A value does not fit.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(SeriesDescription);
        ArgumentNullException.ThrowIfNull(ConvolutionKernel);
        ArgumentNullException.ThrowIfNull(ReconstructionMethod);
        if (SeriesDescription.Length > 64)
        {
            throw new ArgumentException($"Series description is {SeriesDescription.Length} characters; LO holds at most 64.", nameof(SeriesDescription));
        }
        if (ConvolutionKernel.Length > 16 || ConvolutionKernel.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Convolution kernel '{ConvolutionKernel}' must be at most 16 characters without backslash (SH).", nameof(ConvolutionKernel));
        }
        if (ReconstructionMethod.Length > 1024)
        {
            throw new ArgumentException($"Reconstruction method text is {ReconstructionMethod.Length} characters; ST holds at most 1024.", nameof(ReconstructionMethod));
        }
        if (SeriesNumber is < 0 or > 99_999_999)
        {
            throw new ArgumentException($"Series number {SeriesNumber} is outside 0..99999999.", nameof(SeriesNumber));
        }
        if (!double.IsFinite(WindowCenterHu) || !double.IsFinite(WindowWidthHu) || WindowWidthHu < 1)
        {
            throw new ArgumentException($"Window {WindowCenterHu}/{WindowWidthHu} HU needs a finite centre and a width of at least 1.", nameof(WindowWidthHu));
        }
        if (SliceThicknessMm is { } t && !(t > 0 && double.IsFinite(t)))
        {
            throw new ArgumentException($"Slice thickness {t} mm must be positive.", nameof(SliceThicknessMm));
        }
        ScanUids.Checked(SeriesInstanceUid, nameof(SeriesInstanceUid));
    }
}
