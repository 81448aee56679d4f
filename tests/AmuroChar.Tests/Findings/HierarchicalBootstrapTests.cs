using AmuroChar.Evaluation;
using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

public class HierarchicalBootstrapTests
{
    static readonly double[] X = Synthetic.Binary(200, 0.6, 1), Y = Synthetic.Binary(200, 0.45, 2);

    static double Width(Estimate e) => e.Hi - e.Lo;

    [Fact]
    public void One_cell_with_one_run_is_the_plain_item_bootstrap()
    {
        var plain = Bootstrap.MeanCi(X, Statistics.Seed);
        Assert.Equal(plain, HierarchicalBootstrap.Mean(Cell.Single("x", X)));
    }

    [Fact]
    public void Each_cell_weighs_equally_and_n_counts_each_sets_items_once()
    {
        var e = HierarchicalBootstrap.MeanOfMeans([Cell.Single("a", [1, 1, 1, 1, 1, 1, 1, 1]), Cell.Single("b", [0, 0])]);
        Assert.Equal(0.5, e.Mean, 12);       // 8 items at 1, 2 at 0 → .5, not .8
        Assert.Equal(10, e.N);
        Assert.Equal(0.5, e.Lo, 12);         // constant within each set: nothing to resample
        Assert.Equal(0.5, e.Hi, 12);
        Assert.Equal(200, HierarchicalBootstrap.MeanOfMeans([Cell.Single("x", X), Cell.Single("x", Y)]).N);
    }

    [Fact]
    public void Cells_that_reuse_one_sets_items_get_no_credit_for_independent_samples()
    {
        // The same scores pooled twice over one set: the interval is exactly that of one cell. Labelled as two sets
        // (the old, per-cell resampling) it would shrink by about √2, which is the over-confidence this removes.
        var one = HierarchicalBootstrap.Mean(Cell.Single("x", X));
        var shared = HierarchicalBootstrap.MeanOfMeans([Cell.Single("x", X), Cell.Single("x", X)]);
        var independent = HierarchicalBootstrap.MeanOfMeans([Cell.Single("x", X), Cell.Single("y", X)]);
        Assert.Equal(Width(one), Width(shared), 12);
        Assert.InRange(Width(independent) / Width(shared), 0.6, 0.82);
    }

    [Fact]
    public void Differences_over_one_set_stay_paired()
    {
        // last − first where the same items are right at both checkpoints plus 20 more: a paired difference is
        // tight; treating the checkpoints as independent samples would be ~10× wider.
        var first = Synthetic.Binary(400, 0.5, 3);
        var last = first.ToArray();
        int added = 0;
        for (int i = 0; i < last.Length && added < 20; i++) if (last[i] == 0) { last[i] = 1; added++; }
        var paired = HierarchicalBootstrap.Difference(Cell.Single("s", last), Cell.Single("s", first));
        var unpaired = HierarchicalBootstrap.Difference(Cell.Single("s", last), Cell.Single("t", first));
        Assert.Equal(0.05, paired.Mean, 12);
        Assert.True(paired.IsPositive);
        Assert.True(Width(unpaired) > 3 * Width(paired), $"{Width(unpaired)} vs {Width(paired)}");
    }

    [Fact]
    public void Run_to_run_spread_widens_the_interval_beyond_item_noise()
    {
        // Three fine-tuning runs that agree item by item up to a shift of ±.10: averaging runs first (the old
        // estimate) hides that spread; resampling runs carries it.
        IReadOnlyList<double> Shift(double d) => Synthetic.Continuous(300, 0.5, 0.2, 5).Select(v => v + d).ToArray();
        var cell = new Cell("s", [Shift(-0.10), Shift(0), Shift(0.10)]);
        var hierarchical = HierarchicalBootstrap.Mean(cell);
        var averaged = Bootstrap.MeanCi(cell.ItemMeans, Statistics.Seed);
        Assert.Equal(averaged.Mean, hierarchical.Mean, 12);
        Assert.True(Width(hierarchical) > 5 * Width(averaged), $"{Width(hierarchical)} vs {Width(averaged)}");
        // Runs that agree exactly add nothing (the run draws shift the generator, so the same width up to resampling noise).
        var agreeing = new Cell("s", [Shift(0), Shift(0), Shift(0)]);
        Assert.InRange(Width(HierarchicalBootstrap.Mean(agreeing)) / Width(averaged), 0.9, 1.1);
    }

    [Fact]
    public void Minus_pairs_run_with_run_or_every_run_with_a_single_base_run()
    {
        var tuned = new Cell("s", [[1, 1], [0, 1], [1, 0]]);
        var sameModelOtherFormat = new Cell("s", [[0, 1], [0, 0], [1, 0]]);
        Assert.Equal(new double[][] { [1, 0], [0, 1], [0, 0] }, tuned.Minus(sameModelOtherFormat).Runs.Select(r => r.ToArray()));
        var base_ = Cell.Single("s", [0, 1]);
        Assert.Equal(new double[][] { [1, 0], [0, 0], [1, -1] }, tuned.Minus(base_).Runs.Select(r => r.ToArray()));
        Assert.Throws<ArgumentException>(() => tuned.Minus(new Cell("s", [[0, 1], [0, 0]])));
        Assert.Throws<ArgumentException>(() => tuned.Minus(Cell.Single("s", [0, 1, 1])));
    }

    [Fact]
    public void It_is_deterministic_per_seed_and_varies_with_the_seed()
    {
        var cells = new[] { new Cell("x", [X, Y, X]), Cell.Single("y", Y) };
        var terms = new[] { new Term(1, cells[0]), new Term(-1, cells[1]) };
        var first = HierarchicalBootstrap.Linear(terms, seed: 7);
        Assert.Equal(first, HierarchicalBootstrap.Linear(terms, seed: 7));
        var other = HierarchicalBootstrap.Linear(terms, seed: 8);
        Assert.Equal(first.Mean, other.Mean);
        Assert.True(first.Lo != other.Lo || first.Hi != other.Hi);
        Assert.InRange(first.Mean, first.Lo, first.Hi);
    }

    /// <summary>Three seeds whose effect (−.1, 0, +.1 on every item) is the same at two checkpoints, as a seed that
    /// fixes the data order makes it; items are plentiful and identical, so the seed level is all the width.</summary>
    static Cell Seeded(string set, double[] items, string? group) =>
        new(set, new[] { -0.1, 0.0, 0.1 }.Select(e => (IReadOnlyList<double>)items.Select(x => x + e).ToList()).ToList(), group);

    [Fact]
    public void Seeds_shared_across_checkpoints_widen_a_pooled_interval()
    {
        // Pooled over two checkpoints, one seed's effect does not average out against another draw: drawn once for the
        // group, the interval is as wide as one checkpoint's; drawn per cell it would be narrower by about √2.
        var one = HierarchicalBootstrap.Mean(Seeded("a", X, "finetune:a"));
        var grouped = HierarchicalBootstrap.MeanOfMeans([Seeded("a", X, "finetune:a"), Seeded("b", X, "finetune:a")]);
        var independent = HierarchicalBootstrap.MeanOfMeans([Seeded("a", X, null), Seeded("b", X, null)]);
        Assert.True(Width(grouped) > 1.15 * Width(independent), $"grouped {Width(grouped)} vs independent {Width(independent)}");
        Assert.True(Width(grouped) > 0.9 * Width(one), $"grouped {Width(grouped)} vs one cell {Width(one)}");
    }

    [Fact]
    public void Seeds_shared_across_checkpoints_cancel_in_a_difference()
    {
        // last − first of the same seeds: the seed effect is in both and cancels; only item noise is left.
        var last = X.Select(x => x + 0.05).ToArray();
        var grouped = HierarchicalBootstrap.Difference(Seeded("s", last, "finetune:s"), Seeded("s", X, "finetune:s"));
        var independent = HierarchicalBootstrap.Difference(Seeded("s", last, null), Seeded("s", X, null));
        Assert.Equal(0.05, grouped.Mean, 12);
        Assert.True(Width(grouped) < 0.5 * Width(independent), $"grouped {Width(grouped)} vs independent {Width(independent)}");
    }

    [Fact]
    public void A_seed_group_must_have_one_run_count_and_pairs_only_with_itself()
    {
        var three = Seeded("a", X, "g");
        var two = new Cell("a", [X, X], "g");
        Assert.Throws<ArgumentException>(() => HierarchicalBootstrap.MeanOfMeans([three, two]));
        Assert.Throws<ArgumentException>(() => three.Minus(Seeded("a", X, "other")));
        Assert.Equal("g", three.Minus(Cell.Single("a", X)).SeedGroup);
    }

    [Fact]
    public void Bad_cells_are_refused_with_the_set_named()
    {
        Assert.Throws<ArgumentException>(() => HierarchicalBootstrap.MeanOfMeans([]));
        Assert.Throws<ArgumentException>(() => Cell.Single("x", []));
        Assert.Throws<ArgumentException>(() => new Cell("x", [[1.0, 0], [1.0]]));
        var e = Assert.Throws<ArgumentException>(() => HierarchicalBootstrap.MeanOfMeans([Cell.Single("x", [1.0, 0]), Cell.Single("x", [1.0])]));
        Assert.Contains("'x'", e.Message);
        Assert.Throws<ArgumentException>(() => HierarchicalBootstrap.Mean(Cell.Single("x", [double.NaN])));
    }
}
