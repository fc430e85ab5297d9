namespace FedNano.Reconstruction.Phantoms;

/// <summary>One branch of a grown tree: a straight piece from <see cref="Start"/> to <see cref="End"/>.</summary>
/// <param name="Parent">Index of the parent branch, −1 for the root.</param>
/// <param name="Start">Start point (the parent's end).</param>
/// <param name="End">End point.</param>
/// <param name="RadiusMm">Radius (mm), following Murray's law down the tree.</param>
/// <param name="Terminals">How many terminal targets the branch supplies.</param>
internal readonly record struct TreeBranch(int Parent, Vector3Mm Start, Vector3Mm End, double RadiusMm, int Terminals);

/// <summary>
/// Grows a branching vessel tree that supplies a set of terminal target points (sampled inside an organ) from a
/// root point. Each branch serves a subset of the targets: it runs part of the way from its start towards the
/// subset's centroid, then the subset is split in two across its principal axis and each half gets a child. The
/// radius follows Murray's law (r³ proportional to the targets served), so it halves about every three
/// generations and the tree is balanced; branches head into the organ because their targets are in it.
/// </summary>
internal static class VesselTree
{
    /// <summary>Grows the tree; deterministic for the same inputs.</summary>
    /// <param name="root">Where the tree enters (hilum).</param>
    /// <param name="rootRadiusMm">Radius of the root branch (mm).</param>
    /// <param name="targets">Terminal points; at least one.</param>
    /// <param name="rootStepFraction">How far the root branch runs towards the centroid of all targets.</param>
    /// <param name="stepFraction">How far other branches run towards their subset's centroid.</param>
    public static List<TreeBranch> Grow(
        Vector3Mm root, double rootRadiusMm, IReadOnlyList<Vector3Mm> targets, double rootStepFraction = 0.3, double stepFraction = 0.5)
    {
        if (targets.Count == 0)
        {
            throw new ArgumentException("A vessel tree needs at least one target point.", nameof(targets));
        }
        Vector3Mm[] points = [.. targets];
        var keys = new double[points.Length];
        var branches = new List<TreeBranch>(2 * points.Length);
        // Explicit stack: (parent, start, lo, hi).
        var pending = new Stack<(int Parent, Vector3Mm Start, int Lo, int Hi)>();
        pending.Push((-1, root, 0, points.Length));
        while (pending.Count > 0)
        {
            (int parent, Vector3Mm start, int lo, int hi) = pending.Pop();
            int count = hi - lo;
            double radius = rootRadiusMm * Math.Cbrt((double)count / points.Length);
            if (count == 1)
            {
                branches.Add(new TreeBranch(parent, start, points[lo], radius, 1));
                continue;
            }
            Vector3Mm centroid = Centroid(points, lo, hi);
            double step = parent < 0 ? rootStepFraction : stepFraction;
            Vector3Mm end = start + step * (centroid - start);
            int index = branches.Count;
            branches.Add(new TreeBranch(parent, start, end, radius, count));
            Vector3Mm axis = PrincipalAxis(points, lo, hi, centroid);
            for (int i = lo; i < hi; i++)
            {
                keys[i] = (points[i] - centroid).Dot(axis);
            }
            Array.Sort(keys, points, lo, count);
            int mid = lo + count / 2;
            pending.Push((index, end, mid, hi));
            pending.Push((index, end, lo, mid));
        }
        return branches;
    }

    private static Vector3Mm Centroid(Vector3Mm[] points, int lo, int hi)
    {
        double x = 0, y = 0, z = 0;
        for (int i = lo; i < hi; i++)
        {
            x += points[i].X;
            y += points[i].Y;
            z += points[i].Z;
        }
        double inv = 1.0 / (hi - lo);
        return new Vector3Mm(x * inv, y * inv, z * inv);
    }

    private static Vector3Mm PrincipalAxis(Vector3Mm[] points, int lo, int hi, Vector3Mm centroid)
    {
        double xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
        for (int i = lo; i < hi; i++)
        {
            Vector3Mm d = points[i] - centroid;
            xx += d.X * d.X;
            xy += d.X * d.Y;
            xz += d.X * d.Z;
            yy += d.Y * d.Y;
            yz += d.Y * d.Z;
            zz += d.Z * d.Z;
        }
        // Power iteration on the covariance; a fixed start keeps it deterministic.
        var v = new Vector3Mm(0.57, 0.62, 0.54);
        for (int it = 0; it < 24; it++)
        {
            var next = new Vector3Mm(
                xx * v.X + xy * v.Y + xz * v.Z,
                xy * v.X + yy * v.Y + yz * v.Z,
                xz * v.X + yz * v.Y + zz * v.Z);
            double n = next.Length;
            if (!(n > 1e-12))
            {
                return new Vector3Mm(1, 0, 0);
            }
            v = (1.0 / n) * next;
        }
        return v;
    }
}
