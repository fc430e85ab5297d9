using System.Globalization;

namespace FedNano.Dicom;

/// <summary>The VOI LUT Function (0028,1056) that turns a window into an output curve (PS3.3 §C.11.2.1.3).</summary>
public enum VoiLutFunction
{
    /// <summary>LINEAR (the default): PS3.3 §C.11.2.1.2.1, with the historical -0.5 / width-1 offsets.</summary>
    Linear,

    /// <summary>LINEAR_EXACT: PS3.3 §C.11.2.1.3.2, exactly centred on Window Center over Window Width.</summary>
    LinearExact,

    /// <summary>SIGMOID: PS3.3 §C.11.2.1.3.1.</summary>
    Sigmoid,
}

/// <summary>
/// A VOI window (PS3.3 §C.11.2.1.2): maps modality values to display values 0..255 through a window
/// centre and width and a VOI LUT function.
/// </summary>
public sealed class DicomWindow : IEquatable<DicomWindow>
{
    private const double YMin = 0;
    private const double YMax = 255;

    /// <summary>Creates a window.</summary>
    /// <param name="center">Window Center, in modality units.</param>
    /// <param name="width">Window Width: at least 1 for LINEAR, greater than 0 for LINEAR_EXACT and SIGMOID.</param>
    /// <param name="function">The VOI LUT function.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is not allowed for the function, or a value is not finite.</exception>
    public DicomWindow(double center, double width, VoiLutFunction function = VoiLutFunction.Linear)
    {
        if (!double.IsFinite(center)) throw new ArgumentOutOfRangeException(nameof(center), center, "Window Center must be a finite number.");
        if (!double.IsFinite(width)) throw new ArgumentOutOfRangeException(nameof(width), width, "Window Width must be a finite number.");
        if (function == VoiLutFunction.Linear ? width < 1 : width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), width,
                function == VoiLutFunction.Linear ? "Window Width must be at least 1 for LINEAR." : "Window Width must be greater than 0.");
        if (!Enum.IsDefined(function)) throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown VOI LUT function.");
        Center = center;
        Width = width;
        Function = function;
    }

    /// <summary>Window Center in modality units.</summary>
    public double Center { get; }

    /// <summary>Window Width in modality units.</summary>
    public double Width { get; }

    /// <summary>The VOI LUT function.</summary>
    public VoiLutFunction Function { get; }

    /// <summary>True when <paramref name="width"/> is allowed for <paramref name="function"/>.</summary>
    public static bool IsValidWidth(double width, VoiLutFunction function) =>
        double.IsFinite(width) && (function == VoiLutFunction.Linear ? width >= 1 : width > 0);

    /// <summary>The output value (0..255, unrounded) for modality value <paramref name="x"/>.</summary>
    public double Evaluate(double x)
    {
        double c = Center, w = Width;
        switch (Function)
        {
            case VoiLutFunction.Linear:
                {
                    var lower = c - 0.5 - (w - 1) / 2;
                    var upper = c - 0.5 + (w - 1) / 2;
                    if (x <= lower) return YMin;
                    if (x > upper) return YMax;
                    return ((x - (c - 0.5)) / (w - 1) + 0.5) * (YMax - YMin) + YMin;
                }
            case VoiLutFunction.LinearExact:
                if (x <= c - w / 2) return YMin;
                if (x > c + w / 2) return YMax;
                return ((x - c) / w + 0.5) * (YMax - YMin) + YMin;
            default:
                return (YMax - YMin) / (1 + Math.Exp(-4 * (x - c) / w)) + YMin;
        }
    }

    /// <summary>The display value 0..255 for modality value <paramref name="x"/> (rounded to nearest).</summary>
    public byte Map(double x)
    {
        if (double.IsNaN(x)) return 0;
        var y = Evaluate(x);
        return y <= 0 ? (byte)0 : y >= 255 ? (byte)255 : (byte)(y + 0.5);
    }

    /// <summary>Maps each modality value to 0..255; with <paramref name="invert"/> (MONOCHROME1) the output is 255 - value.</summary>
    public void Apply(ReadOnlySpan<double> values, Span<byte> output, bool invert = false)
    {
        if (output.Length < values.Length)
            throw new ArgumentException($"Output has {output.Length} bytes for {values.Length} values.", nameof(output));
        for (var i = 0; i < values.Length; i++)
        {
            var y = Map(values[i]);
            output[i] = invert ? (byte)(255 - y) : y;
        }
    }

    /// <summary>Parses a VOI LUT Function (0028,1056) value; LINEAR when absent or unknown.</summary>
    public static VoiLutFunction ParseFunction(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LINEAR_EXACT" => VoiLutFunction.LinearExact,
        "SIGMOID" => VoiLutFunction.Sigmoid,
        _ => VoiLutFunction.Linear,
    };

    /// <summary>
    /// The window stored in the dataset: value <paramref name="index"/> of Window Center (0028,1050) and Window
    /// Width (0028,1051) with the VOI LUT Function (0028,1056); null when absent, not numeric or not a valid width.
    /// </summary>
    public static DicomWindow? FromDataset(DicomDataset dataset, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var function = ParseFunction(dataset.GetSingleString(DicomTags.VOILUTFunction));
        if (!dataset.TryGetValue<double>(DicomTags.WindowCenter, out var center, index)) return null;
        if (!dataset.TryGetValue<double>(DicomTags.WindowWidth, out var width, index)) return null;
        if (!double.IsFinite(center) || !IsValidWidth(width, function)) return null;
        return new DicomWindow(center, width, function);
    }

    /// <summary>
    /// A LINEAR window spanning the minimum to the maximum of <paramref name="values"/> (the minimum maps to 0, the
    /// maximum to 255), ignoring NaN and values inside <paramref name="exclude"/> (pixel padding).
    /// </summary>
    public static DicomWindow FromMinMax(ReadOnlySpan<double> values, (double Low, double High)? exclude = null)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (exclude is { } ex && v >= ex.Low && v <= ex.High) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (min > max) { min = 0; max = 0; }
        var width = max - min + 1;
        return new DicomWindow(min + width / 2, width, VoiLutFunction.Linear);
    }

    /// <summary>
    /// The default window for a frame: the dataset's first Window Center/Width when valid, else the frame's
    /// minimum and maximum modality values (pixel padding excluded).
    /// </summary>
    public static DicomWindow GetDefault(DicomPixelData pixelData, ReadOnlySpan<double> modalityValues)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        return FromDataset(pixelData.Dataset) ?? FromMinMax(modalityValues, pixelData.GetPaddingRange());
    }

    /// <inheritdoc />
    public bool Equals(DicomWindow? other) =>
        other is not null && other.Center.Equals(Center) && other.Width.Equals(Width) && other.Function == Function;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomWindow);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Center, Width, Function);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"C={Center} W={Width} {Function}");
}
