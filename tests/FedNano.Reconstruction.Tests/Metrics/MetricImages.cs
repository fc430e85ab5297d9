using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Tests.Metrics;

/// <summary>Test images: a Shepp–Logan head slice in HU and degraded copies of it.</summary>
internal static class MetricImages
{
    public const double MuWater = SheppLogan3D.DefaultMuWaterPerMm;

    /// <summary>The axial slice at <paramref name="zMm"/> of a 100 mm-radius head, width × height pixels of 220/width mm, in HU.</summary>
    public static float[] HeadSliceHu(int width, int height, double zMm = -25)
    {
        var phantom = new SheppLogan3D(100, MuWater);
        double pixelMm = 220.0 / width;
        var hu = new float[width * height];
        for (int j = 0; j < height; j++)
        {
            for (int i = 0; i < width; i++)
            {
                double mu = phantom.Value((i - (width - 1) / 2.0) * pixelMm, (j - (height - 1) / 2.0) * pixelMm, zMm);
                hu[j * width + i] = (float)(1000 * (mu - MuWater) / MuWater);
            }
        }
        return hu;
    }

    /// <summary>A 3 × 3 box blur (edges clamped) plus Gaussian noise of <paramref name="noiseSigma"/>, deterministic for a seed.</summary>
    public static float[] BlurredNoisy(float[] image, int width, int height, double noiseSigma, int seed)
    {
        var random = new Random(seed);
        var result = new float[image.Length];
        for (int j = 0; j < height; j++)
        {
            for (int i = 0; i < width; i++)
            {
                double sum = 0;
                for (int dj = -1; dj <= 1; dj++)
                {
                    for (int di = -1; di <= 1; di++)
                    {
                        sum += image[Math.Clamp(j + dj, 0, height - 1) * width + Math.Clamp(i + di, 0, width - 1)];
                    }
                }
                // Box–Muller normal deviate.
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                result[j * width + i] = (float)(sum / 9 + noiseSigma * normal);
            }
        }
        return result;
    }

    public static float[] Add(float[] image, float offset) => image.Select(v => v + offset).ToArray();

    public static float[] Scale(float[] image, float factor) => image.Select(v => v * factor).ToArray();
}
