using FedNano.Reconstruction.Analytic;

namespace FedNano.Reconstruction.Networks;

/// <summary>What a backprojection maps between: the sinogram geometry, the image grid and the factor on every contribution.</summary>
/// <param name="Geometry">Views and detector of the filtered sinogram.</param>
/// <param name="Grid">Output grid.</param>
/// <param name="Scale">Extra factor on every contribution (1 for a full scan, 2 for a Parker-weighted short scan).</param>
internal sealed record FanBeamProjectionSetup(FanBeamGeometry Geometry, ImageGrid2D Grid, double Scale);
