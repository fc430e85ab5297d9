namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// The model's image input from an axial CT series: <see cref="CtInputSpec.Slices"/> planes
/// <see cref="CtInputSpec.SliceSpacingMm"/> apart around a centre z, each resampled onto the spec's square grid over its
/// field of view centred on the scan axis (x = y = 0), then windowed and standardised (<see cref="CtInputSpec.Pixel"/>).
/// Outside the images reads as air.
/// </summary>
public static class SliceStack
{
    /// <summary>[slices × size × size] encoder input values for the stack centred at <paramref name="centerZMm"/>.</summary>
    public static float[] Build(AxialCtSeries series, CtInputSpec spec, double centerZMm)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(spec);
        int n = spec.ImageSize;
        double pixel = spec.FieldOfViewMm / n;
        var result = new float[spec.Slices * n * n];
        for (int s = 0; s < spec.Slices; s++)
        {
            double z = centerZMm + (s - (spec.Slices - 1) / 2.0) * spec.SliceSpacingMm;
            for (int row = 0; row < n; row++)
            {
                double y = (row - (n - 1) / 2.0) * pixel;
                for (int col = 0; col < n; col++)
                {
                    double x = (col - (n - 1) / 2.0) * pixel;
                    result[(s * n + row) * n + col] = spec.Pixel(series.Sample(x, y, z));
                }
            }
        }
        return result;
    }
}
