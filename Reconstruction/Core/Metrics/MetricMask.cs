namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// Region masks for the metrics: one <see cref="bool"/> per pixel, laid out like the images
/// (<c>[(k·height + j)·width + i]</c>), true where the pixel counts.
/// </summary>
public static class MetricMask
{
    /// <summary>Default body threshold (HU): above it a voxel is tissue, below it air.</summary>
    public const double DefaultBodyThresholdHu = -900;

    /// <summary>
    /// The patient's body: pixels of <paramref name="referenceHu"/> above <paramref name="thresholdHu"/>, plus, per
    /// slice, every below-threshold pixel that cannot be reached from the slice's edge through below-threshold pixels
    /// (4-connected), so that air enclosed by the body (trachea, bowel gas, sinuses) counts as inside.
    /// </summary>
    /// <param name="referenceHu">The reference images in HU, <paramref name="depth"/> slices of width × height.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="depth">Slices.</param>
    /// <param name="thresholdHu">Tissue/air threshold (HU).</param>
    /// <exception cref="ArgumentException">The sizes do not match or the threshold is not finite.</exception>
    public static bool[] Body(ReadOnlySpan<float> referenceHu, int width, int height, int depth = 1, double thresholdHu = DefaultBodyThresholdHu)
    {
        RequireSize(referenceHu.Length, width, height, depth, nameof(referenceHu));
        if (!double.IsFinite(thresholdHu))
        {
            throw new ArgumentException($"Body threshold must be finite (got {thresholdHu} HU).", nameof(thresholdHu));
        }
        int plane = width * height;
        var mask = new bool[referenceHu.Length];
        var queue = new Queue<int>();
        for (int k = 0; k < depth; k++)
        {
            var slice = referenceHu.Slice(k * plane, plane);
            var inside = mask.AsSpan(k * plane, plane);
            // Start inside everywhere; flood the outside air in from the edges.
            inside.Fill(true);
            for (int i = 0; i < width; i++)
            {
                Seed(slice, inside, queue, i, thresholdHu);
                Seed(slice, inside, queue, (height - 1) * width + i, thresholdHu);
            }
            for (int j = 0; j < height; j++)
            {
                Seed(slice, inside, queue, j * width, thresholdHu);
                Seed(slice, inside, queue, j * width + width - 1, thresholdHu);
            }
            while (queue.Count > 0)
            {
                int p = queue.Dequeue();
                int i = p % width, j = p / width;
                if (i > 0) Seed(slice, inside, queue, p - 1, thresholdHu);
                if (i < width - 1) Seed(slice, inside, queue, p + 1, thresholdHu);
                if (j > 0) Seed(slice, inside, queue, p - width, thresholdHu);
                if (j < height - 1) Seed(slice, inside, queue, p + width, thresholdHu);
            }
        }
        return mask;
    }

    /// <summary>
    /// The disc inscribed in each slice: pixel (i, j) counts when its centre lies within min(width, height)/2 pixels
    /// of the image centre ((width − 1)/2, (height − 1)/2), the reconstructed field of view of a square grid.
    /// </summary>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="depth">Slices (each gets the same disc).</param>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public static bool[] InscribedCircle(int width, int height, int depth = 1)
    {
        RequireSize((long)width * height * depth, width, height, depth, nameof(width));
        int plane = width * height;
        var mask = new bool[(long)plane * depth];
        double radius = Math.Min(width, height) / 2.0;
        double ci = (width - 1) / 2.0, cj = (height - 1) / 2.0;
        for (int j = 0; j < height; j++)
        {
            for (int i = 0; i < width; i++)
            {
                double di = i - ci, dj = j - cj;
                mask[j * width + i] = di * di + dj * dj <= radius * radius;
            }
        }
        for (int k = 1; k < depth; k++)
        {
            Array.Copy(mask, 0, mask, (long)k * plane, plane);
        }
        return mask;
    }

    /// <summary>Number of true entries.</summary>
    public static long Count(ReadOnlySpan<bool> mask)
    {
        long n = 0;
        foreach (bool b in mask)
        {
            if (b) n++;
        }
        return n;
    }

    private static void Seed(ReadOnlySpan<float> slice, Span<bool> inside, Queue<int> queue, int p, double thresholdHu)
    {
        // NaN is neither tissue nor air: it stays inside, and the metrics then reject it.
        if (inside[p] && slice[p] <= thresholdHu)
        {
            inside[p] = false;
            queue.Enqueue(p);
        }
    }

    private static void RequireSize(long length, int width, int height, int depth, string parameter)
    {
        if (width < 1 || height < 1 || depth < 1)
        {
            throw new ArgumentException($"Image size {width} x {height} x {depth} must be positive.", parameter);
        }
        if (length != (long)width * height * depth)
        {
            throw new ArgumentException($"{width} x {height} x {depth} pixels expected, got {length}.", parameter);
        }
    }
}
