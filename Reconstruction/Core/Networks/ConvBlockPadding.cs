namespace FedNano.Reconstruction.Networks;

/// <summary>How a <see cref="ConvBlock"/> pads its [B, C, H, W] input so that H and W are kept.</summary>
public enum ConvBlockPadding
{
    /// <summary>Zeros on both axes (images: the field of view is surrounded by air).</summary>
    Zeros,

    /// <summary>
    /// Sinograms [B, C, views, channels]: periodic along views (a full rotation wraps around: the view before view 0
    /// is the last view), zeros along channels (rays outside the detector see no attenuation).
    /// </summary>
    CircularViews,
}
