using FedNano.Reconstruction;

namespace FedNano.Reconstruction.Tests;

public class SparseRowPatternTests
{
    [Fact]
    public void Parses_groups_rows_and_gaps()
    {
        var p = SparseRowPattern.Parse("4x4g4", 28);
        Assert.Equal(4, p.Groups);
        Assert.Equal(4, p.RowsPerGroup);
        Assert.Equal(4, p.GapRows);
        Assert.Equal(28, p.SpanRows);
        Assert.Equal(0, p.FirstRow);
        Assert.Equal([0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27], p.ActiveRows);
        Assert.True(p.IsActive(9));
        Assert.False(p.IsActive(4));
        Assert.False(p.IsActive(-1));
        Assert.False(p.IsActive(28));
    }

    [Fact]
    public void Centres_by_default_and_honours_explicit_first_row()
    {
        var centred = SparseRowPattern.Parse("4x4g4", 64);
        Assert.Equal(18, centred.FirstRow);
        var at = SparseRowPattern.Parse("2X3g1@5", 16);
        Assert.Equal([5, 6, 7, 9, 10, 11], at.ActiveRows);
        for (int r = 0; r < 16; r++)
        {
            Assert.Equal(at.ActiveRows.Contains(r), at.IsActive(r));
        }
        Assert.Equal("2x3g1@5", at.ToString());
    }

    [Fact]
    public void Dense_and_single_group()
    {
        var d = SparseRowPattern.Parse("1x16", 16);
        Assert.True(d.IsDense);
        Assert.Equal(Enumerable.Range(0, 16), d.ActiveRows);
        Assert.True(SparseRowPattern.Dense(8).IsDense);
    }

    [Fact]
    public void Small_sparse_preset_pattern()
    {
        var p = GeometryPresets.Get("small-sparse").RowPattern;
        Assert.Equal([1, 2, 5, 6, 9, 10, 13, 14], p.ActiveRows);
    }

    [Theory]
    [InlineData("4x4g4", 16)]      // spans 28 rows
    [InlineData("2x8g1@0", 16)]    // spans 17
    [InlineData("1x4@14", 16)]     // runs off the end
    [InlineData("4x4", 64)]        // several groups need a gap
    [InlineData("x4g4", 64)]
    [InlineData("4x-1g4", 64)]
    [InlineData("0x4g4", 64)]
    [InlineData("4x0g4", 64)]
    [InlineData("4x4gq", 64)]
    [InlineData("", 64)]
    [InlineData("4x4g4", 0)]
    public void Rejects_bad_or_oversized_patterns(string spec, int rows)
    {
        var ex = Assert.Throws<ArgumentException>(() => SparseRowPattern.Parse(spec, rows));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}
