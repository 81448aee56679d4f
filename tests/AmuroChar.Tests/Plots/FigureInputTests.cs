using AmuroChar.Plots;
using AmuroChar.Tests.Checkpoints;
using Xunit;

namespace AmuroChar.Tests.Plots;

/// <summary>Bad input fails with an ArgumentException that says what is wrong, and writes no file.</summary>
public sealed class FigureInputTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string Png => _dir.File("fig.png");

    void Fails(Action draw, string messagePart)
    {
        var e = Assert.ThrowsAny<ArgumentException>(draw);
        Assert.Contains(messagePart, e.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    static Series Good(string name = "a") => new(name, [new(1000, 0.5, 0.4, 0.6), new(2000, 0.6, 0.5, 0.7)]);

    void Lines(IReadOnlyList<Series> series, CheckpointSpacing spacing = CheckpointSpacing.Equal) =>
        Figures.LinesOverCheckpoints(Png, "t", "y", series, spacing);

    [Fact]
    public void Lines_reject_bad_series()
    {
        Fails(() => Lines([]), "No series");
        Fails(() => Lines([new("empty", [])]), "'empty' has no points");
        Fails(() => Lines([Good("same"), Good("same")]), "'same' appears twice");
        Fails(() => Lines([Good(" ")]), "empty name");
        Fails(() => Lines([new("nan", [new(1000, double.NaN, 0.4, 0.6)])]), "NaN");
        Fails(() => Lines([new("inf", [new(1000, 0.5, 0.4, double.PositiveInfinity)])]), "finite");
        Fails(() => Lines([new("x", [new(double.NaN, 0.5, 0.4, 0.6)])]), "X");
        Fails(() => Lines([new("lohi", [new(1000, 0.5, 0.6, 0.4)])]), "above Hi");
        Fails(() => Lines([new("dup", [new(1000, 0.5, 0.4, 0.6), new(1000, 0.6, 0.5, 0.7)])]), "two points at X=1000");
        Fails(() => Lines([new("zero", [new(0, 0.5, 0.4, 0.6)])], CheckpointSpacing.Log), "log axis needs X > 0");
    }

    [Fact]
    public void Lines_reject_bad_path_size_and_limits()
    {
        Fails(() => Figures.LinesOverCheckpoints(" ", "t", "y", [Good()]), "path is empty");
        Fails(() => Figures.LinesOverCheckpoints(Png, "t", "y", [Good()], width: 10), "outside");
        Fails(() => Figures.LinesOverCheckpoints(Png, "t", "y", [Good()], yLimits: (1, 0)), "Min < Max");
        Fails(() => Figures.LinesOverCheckpoints(Png, "t", "y", [Good()], yLimits: (0, double.NaN)), "Min < Max");
    }

    [Fact]
    public void Bars_reject_mismatched_lengths_and_bad_values()
    {
        BarValue v = new(0.1, 0.0, 0.2);
        Fails(() => Figures.GroupedBars(Png, "t", "y", ["g1", "g2"], [new("s", [v])]), "has 1 values for 2 groups");
        Fails(() => Figures.GroupedBars(Png, "t", "y", ["g1"], [new("s", [v, v])]), "has 2 values for 1 groups");
        Fails(() => Figures.GroupedBars(Png, "t", "y", [], [new("s", [])]), "No groups");
        Fails(() => Figures.GroupedBars(Png, "t", "y", ["g"], []), "No bar series");
        Fails(() => Figures.GroupedBars(Png, "t", "y", ["g", "g"], [new("s", [v, v])]), "'g' appears twice");
        Fails(() => Figures.GroupedBars(Png, "t", "y", ["g"], [new("s", [new(double.NaN, 0, 1)])]), "NaN");
        Fails(() => Figures.GroupedBars(Png, "t", "y", ["g"], [new("s", [new(0.5, 0.6, 0.4)])]), "above Hi");
    }

    [Fact]
    public void Heatmap_rejects_label_mismatch_and_bad_values()
    {
        Fails(() => Figures.Heatmap(Png, "t", ["r1", "r2"], ["c"], new double[1, 1]), "1×1 but there are 2 row");
        Fails(() => Figures.Heatmap(Png, "t", ["r"], ["c1", "c2"], new double[1, 3]), "1×3 but there are 1 row and 2 column");
        Fails(() => Figures.Heatmap(Png, "t", [], [], new double[0, 0]), "No row labels");
        Fails(() => Figures.Heatmap(Png, "t", ["r"], ["c"], new double[,] { { double.NaN } }), "Cell (r, c) is NaN");
        Fails(() => Figures.Heatmap(Png, "t", ["r"], ["c"], new double[,] { { double.NegativeInfinity } }), "finite");
        Fails(() => Figures.Heatmap(Png, "t", ["r"], ["c"], new double[1, 1], valueFormat: "Z9"), "not a number format");
    }
}
