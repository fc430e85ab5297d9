namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Samples a helical view at a fractional detector row using only the rows a sparse pattern measured:
/// linear between adjacent measured rows, linear across a gap between the measured rows bounding it, and the
/// nearest measured row beyond the outermost ones.
/// </summary>
internal sealed class DetectorRowSampler
{
    private readonly int[] _previousActive;
    private readonly int[] _nextActive;
    private readonly int _firstActive;
    private readonly int _lastActive;
    private readonly int _rows;
    private readonly int _channels;

    public DetectorRowSampler(SparseRowPattern pattern, int channels)
    {
        _rows = pattern.DetectorRows;
        _channels = channels;
        _previousActive = new int[_rows];
        _nextActive = new int[_rows];
        int previous = -1;
        for (int r = 0; r < _rows; r++)
        {
            if (pattern.IsActive(r))
            {
                previous = r;
            }
            _previousActive[r] = previous;
        }
        int next = -1;
        for (int r = _rows - 1; r >= 0; r--)
        {
            if (pattern.IsActive(r))
            {
                next = r;
            }
            _nextActive[r] = next;
        }
        _firstActive = pattern.ActiveRows[0];
        _lastActive = pattern.ActiveRows[^1];
    }

    /// <summary>
    /// Value of <paramref name="channel"/> at fractional row <paramref name="row"/> of a view (rows × channels);
    /// <paramref name="measured"/> is true when both rows bracketing it were measured (no gap, no extrapolation).
    /// </summary>
    public float Sample(ReadOnlySpan<float> view, int channel, double row, out bool measured)
    {
        if (row <= _firstActive)
        {
            measured = row >= _firstActive - 1e-6;
            return view[_firstActive * _channels + channel];
        }
        if (row >= _lastActive)
        {
            measured = row <= _lastActive + 1e-6;
            return view[_lastActive * _channels + channel];
        }
        int r0 = (int)row;
        if (row == r0 && _previousActive[r0] == r0)
        {
            measured = true;
            return view[r0 * _channels + channel];
        }
        int lo = _previousActive[r0];
        int hi = _nextActive[r0 + 1];
        measured = lo == r0 && hi == r0 + 1;
        double t = (row - lo) / (hi - lo);
        float a = view[lo * _channels + channel], b = view[hi * _channels + channel];
        return (float)(a + t * (b - a));
    }

    /// <summary>
    /// The nearest measured rows at or below and at or above fractional <paramref name="row"/>: (−1, first) below
    /// the first measured row, (last, −1) above the last.
    /// </summary>
    public (int Below, int Above) Bracket(double row)
    {
        int below = row < _firstActive ? -1 : row > _lastActive ? _lastActive : _previousActive[(int)Math.Floor(row)];
        int above = row > _lastActive ? -1 : row < _firstActive ? _firstActive : _nextActive[(int)Math.Ceiling(row)];
        return (below, above);
    }

    /// <summary>Whether a sample at fractional <paramref name="row"/> would be measured (see <see cref="Sample"/>).</summary>
    public bool IsMeasured(double row)
    {
        if (row < _firstActive - 1e-6 || row > _lastActive + 1e-6)
        {
            return false;
        }
        if (row <= _firstActive || row >= _lastActive)
        {
            return true;
        }
        int r0 = (int)row;
        if (row == r0 && _previousActive[r0] == r0)
        {
            return true;
        }
        return _previousActive[r0] == r0 && _nextActive[r0 + 1] == r0 + 1;
    }
}
