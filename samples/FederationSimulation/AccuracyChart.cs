using SkiaSharp;

namespace FedNano.Samples.FederationSimulation;

/// <summary>A grouped bar chart of QA accuracy: one group per site (and all sites), one bar per method.</summary>
public static class AccuracyChart
{
    private static readonly SKColor[] Colours = [SKColors.Gray, SKColors.SandyBrown, SKColors.SteelBlue, SKColors.MediumPurple, SKColors.SeaGreen, SKColors.Black];

    /// <summary>Writes the PNG; <paramref name="values"/>[method][group] is a share in [0, 1] or NaN for no bar.</summary>
    public static void Write(string path, IReadOnlyList<string> methods, IReadOnlyList<string> groups, double[][] values)
    {
        const int W = 900, H = 380, Left = 50, Bottom = 40, Top = 40;
        using var surface = SKSurface.Create(new SKImageInfo(W, H));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 12);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var axis = new SKPaint { Color = SKColors.LightGray, StrokeWidth = 1 };
        float plotH = H - Top - Bottom, groupW = (W - Left - 10f) / groups.Count, barW = groupW * 0.8f / methods.Count;
        for (int p = 0; p <= 100; p += 20)
        {
            float y = Top + plotH * (1 - p / 100f);
            canvas.DrawLine(Left, y, W - 10, y, axis);
            canvas.DrawText($"{p} %", 6, y + 4, font, text);
        }
        for (int g = 0; g < groups.Count; g++)
        {
            for (int m = 0; m < methods.Count; m++)
            {
                double v = values[m][g];
                if (double.IsNaN(v)) continue;
                using var bar = new SKPaint { Color = Colours[m % Colours.Length] };
                float x = Left + g * groupW + groupW * 0.1f + m * barW;
                canvas.DrawRect(x, Top + plotH * (1 - (float)v), barW - 2, plotH * (float)v, bar);
            }
            canvas.DrawText(groups[g], Left + g * groupW + groupW / 2 - 20, H - Bottom + 18, font, text);
        }
        float lx = Left;
        for (int m = 0; m < methods.Count; m++)
        {
            using var swatch = new SKPaint { Color = Colours[m % Colours.Length] };
            canvas.DrawRect(lx, 12, 12, 12, swatch);
            canvas.DrawText(methods[m], lx + 16, 22, font, text);
            lx += 24 + font.MeasureText(methods[m]);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
