namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// Where things lie in a <see cref="ComparisonPng"/> image: three panels of <see cref="PanelWidth"/> ×
/// <see cref="PanelHeight"/> pixels side by side (reference, reconstruction, difference), each under a label strip,
/// with an optional title strip on top, separated by <see cref="MarginPixels"/>.
/// </summary>
/// <param name="Zoom">Magnification of the image pixels.</param>
/// <param name="PanelWidth">Panel width in output pixels (image width × zoom).</param>
/// <param name="PanelHeight">Panel height in output pixels (image height × zoom).</param>
/// <param name="TitleHeight">Height of the title strip (0 without a title).</param>
public sealed record ComparisonPngLayout(int Zoom, int PanelWidth, int PanelHeight, int TitleHeight)
{
    /// <summary>Gap around and between the panels (pixels).</summary>
    public const int MarginPixels = 6;

    /// <summary>Height of the label strip above each panel (pixels).</summary>
    public const int LabelHeight = 20;

    /// <summary>Height of the title strip when there is a title (pixels).</summary>
    public const int TitleStripHeight = 22;

    /// <summary>With automatic zoom, panels are magnified until their longer side reaches this many pixels.</summary>
    public const int MinimumAutoPanelPixels = 256;

    /// <summary>Largest automatic zoom.</summary>
    public const int MaximumAutoZoom = 8;

    /// <summary>The layout for a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the options are invalid, or the result would exceed 16384 pixels a side.</exception>
    public static ComparisonPngLayout For(int width, int height, ComparisonPngOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (width < 1 || height < 1)
        {
            throw new ArgumentException($"Image size {width} x {height} must be positive.", nameof(width));
        }
        int zoom = options.Zoom
            ?? Math.Clamp((MinimumAutoPanelPixels + Math.Max(width, height) - 1) / Math.Max(width, height), 1, MaximumAutoZoom);
        // A bound on memory and on what viewers open.
        const long maximumSide = 16384;
        if (3L * width * zoom + 4 * MarginPixels > maximumSide || (long)height * zoom + 2 * MarginPixels + LabelHeight + TitleStripHeight > maximumSide)
        {
            throw new ArgumentException($"A {width} x {height} image at zoom {zoom} gives a PNG above {maximumSide} pixels a side.", nameof(width));
        }
        return new ComparisonPngLayout(zoom, width * zoom, height * zoom, string.IsNullOrEmpty(options.Title) ? 0 : TitleStripHeight);
    }

    /// <summary>Total image width (pixels).</summary>
    public int Width => 3 * PanelWidth + 4 * MarginPixels;

    /// <summary>Total image height (pixels).</summary>
    public int Height => MarginPixels + TitleHeight + LabelHeight + PanelHeight + MarginPixels;

    /// <summary>Top edge of the panels (pixels).</summary>
    public int PanelTop => MarginPixels + TitleHeight + LabelHeight;

    /// <summary>Left edge of panel <paramref name="index"/>: 0 reference, 1 reconstruction, 2 difference.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not 0, 1 or 2.</exception>
    public int PanelLeft(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 2);
        return MarginPixels + index * (PanelWidth + MarginPixels);
    }
}
