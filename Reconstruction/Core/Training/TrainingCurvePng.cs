using System.Globalization;
using FedNano.Reconstruction.Metrics;
using SkiaSharp;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// Draws a training log: the loss of each stage on a log scale over the run's steps (a moving average over the raw
/// values, which are noisy with small batches), and the held-out RRMSE at each validation on a second, linear scale.
/// </summary>
public static class TrainingCurvePng
{
    private const int Width = 960, Height = 540, Left = 70, Right = 70, Top = 40, Bottom = 50;

    private static readonly SKColor[] StageColors = [new(0x1f, 0x77, 0xb4), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28)];

    /// <summary>Writes the PNG.</summary>
    public static void Write(string path, TrainingLog log, string title)
    {
        ArgumentNullException.ThrowIfNull(log);
        File.WriteAllBytes(path, Encode(log, title));
    }

    /// <summary>Encodes the PNG.</summary>
    public static byte[] Encode(TrainingLog log, string title)
    {
        ArgumentNullException.ThrowIfNull(log);
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        var stages = Enum.GetValues<TrainingStage>().Select(s => log.Entries.Where(e => e.Stage == s).OrderBy(e => e.Step).ToList()).ToList();
        // Stages run one after another: x is the step counted over the whole run.
        var offsets = new int[stages.Count];
        for (int i = 1; i < stages.Count; i++)
        {
            offsets[i] = offsets[i - 1] + (stages[i - 1].Count == 0 ? 0 : stages[i - 1].Max(e => e.Step));
        }
        int totalSteps = Math.Max(1, offsets[^1] + (stages[^1].Count == 0 ? 0 : stages[^1].Max(e => e.Step)));
        var losses = log.Entries.Select(e => e.Loss).Where(v => v > 0 && double.IsFinite(v)).ToList();
        double lo = losses.Count == 0 ? 1e-4 : Math.Floor(Math.Log10(losses.Min()));
        double hi = losses.Count == 0 ? 1 : Math.Ceiling(Math.Log10(losses.Max()));
        if (hi <= lo)
        {
            hi = lo + 1;
        }
        var rrmse = log.Entries.Where(e => e.ValidationRrmsePercent is not null).Select(e => e.ValidationRrmsePercent!.Value).ToList();
        double rrmseMax = rrmse.Count == 0 ? 10 : Math.Ceiling(rrmse.Max() / 5) * 5;

        float plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        float X(double step) => Left + (float)(step / totalSteps) * plotW;
        float YLoss(double loss) => Top + plotH * (float)((hi - Math.Log10(loss)) / (hi - lo));
        float YRrmse(double value) => Top + plotH * (float)(1 - value / rrmseMax);

        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var typeface = ComparisonPng.Typeface;
        using var font = typeface is null ? null : new SKFont(typeface, 13);
        canvas.DrawRect(Left, Top, plotW, plotH, axis);
        for (double d = lo; d <= hi; d++)
        {
            float y = YLoss(Math.Pow(10, d));
            canvas.DrawLine(Left - 4, y, Left, y, axis);
            Label(canvas, font, text, "1e" + d.ToString(CultureInfo.InvariantCulture), Left - 6, y + 4, SKTextAlign.Right);
        }
        for (double r = 0; r <= rrmseMax; r += rrmseMax / 5)
        {
            float y = YRrmse(r);
            canvas.DrawLine(Left + plotW, y, Left + plotW + 4, y, axis);
            Label(canvas, font, text, r.ToString("0.#", CultureInfo.InvariantCulture) + " %", Left + plotW + 6, y + 4, SKTextAlign.Left);
        }
        Label(canvas, font, text, "0", Left, Height - Bottom + 16, SKTextAlign.Center);
        Label(canvas, font, text, totalSteps.ToString(CultureInfo.InvariantCulture) + " steps", Left + plotW, Height - Bottom + 16, SKTextAlign.Center);
        Label(canvas, font, text, title, Width / 2f, 24, SKTextAlign.Center);

        for (int s = 0; s < stages.Count; s++)
        {
            var entries = stages[s];
            if (entries.Count == 0)
            {
                continue;
            }
            using var line = new SKPaint { Color = StageColors[s], StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
            using var path = new SKPath();
            int window = Math.Max(1, entries.Count / 60);
            for (int i = 0; i < entries.Count; i++)
            {
                var span = entries.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Select(e => e.Loss).Where(v => v > 0).ToList();
                if (span.Count == 0)
                {
                    continue;
                }
                var point = new SKPoint(X(offsets[s] + entries[i].Step), YLoss(Math.Pow(10, span.Average(Math.Log10))));
                if (path.IsEmpty)
                {
                    path.MoveTo(point);
                }
                else
                {
                    path.LineTo(point);
                }
            }
            canvas.DrawPath(path, line);
            using var marker = new SKPaint { Color = StageColors[s], IsAntialias = true, Style = SKPaintStyle.Fill };
            foreach (var e in entries.Where(e => e.ValidationRrmsePercent is not null))
            {
                canvas.DrawCircle(X(offsets[s] + e.Step), YRrmse(e.ValidationRrmsePercent!.Value), 4, marker);
            }
            Label(canvas, font, new SKPaint { Color = StageColors[s], IsAntialias = true },
                $"{entries[0].Stage}: loss (line, log) and held-out RRMSE (dots)", Left + 10, Top + 18 + 16 * s, SKTextAlign.Left);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void Label(SKCanvas canvas, SKFont? font, SKPaint paint, string value, float x, float y, SKTextAlign align)
    {
        if (font is not null)
        {
            canvas.DrawText(value, x, y, align, font, paint);
        }
    }
}
