using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

public class StatisticsTests
{
    [Fact]
    public void Monotone_relations_give_plus_or_minus_one()
    {
        Assert.Equal(1.0, Statistics.Spearman([1, 2, 3, 4], [10, 20, 30, 40]), 12);
        Assert.Equal(-1.0, Statistics.Spearman([1, 2, 3, 4], [40, 30, 20, 10]), 12);
        Assert.Equal(1.0, Statistics.Spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 100]), 12);   // ranks, not values
        Assert.Equal(1.0, Statistics.Spearman([0.3, 0.1, 0.2], [3, 1, 2]), 12);           // unsorted input
    }

    [Fact]
    public void Without_ties_it_is_one_minus_six_sum_d_squared_over_n_n2_minus_1()
    {
        // d = (-1, 1, -1, 1, 0): 1 - 6·4 / (5·24) = 0.8
        Assert.Equal(0.8, Statistics.Spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 12);
        // d = (0, -2, 1, 1): 1 - 6·6 / (4·15) = 0.4
        Assert.Equal(0.4, Statistics.Spearman([1, 2, 3, 4], [1, 4, 2, 3]), 12);
    }

    [Fact]
    public void Ties_get_average_ranks()
    {
        // x ranks (1, 2.5, 2.5, 4), y ranks (1, 3, 2, 4): Pearson of the ranks = 4.5 / sqrt(4.5 · 5) = sqrt(0.9)
        Assert.Equal(Math.Sqrt(0.9), Statistics.Spearman([1, 2, 2, 3], [1, 3, 2, 4]), 12);
        // Ranks (1.5, 1.5, 3) vs (1, 2.5, 2.5): covariance sum 0.75, variance sums 1.5 and 1.5 → 0.5
        Assert.Equal(0.5, Statistics.Spearman([5, 5, 9], [1, 7, 7]), 12);
    }

    [Fact]
    public void Constant_or_too_short_input_gives_zero_and_unequal_lengths_throw()
    {
        Assert.Equal(0.0, Statistics.Spearman([3, 3, 3], [1, 2, 3]));
        Assert.Equal(0.0, Statistics.Spearman([1, 2, 3], [0.5, 0.5, 0.5]));
        Assert.Equal(0.0, Statistics.Spearman([1], [2]));
        Assert.Equal(0.0, Statistics.Spearman([], []));
        Assert.Throws<ArgumentException>(() => Statistics.Spearman([1, 2], [1, 2, 3]));
    }
}

public class StatisticsHelperTests
{
    static readonly AmuroChar.Evaluation.Estimate E = new(0.02, -0.03, 0.049, 100);

    [Fact]
    public void Within_needs_the_whole_interval_inside_the_band()
    {
        Assert.True(Statistics.Within(E, 0.05));
        Assert.False(Statistics.Within(E, 0.04));                                   // the upper bound .049 is outside
        Assert.False(Statistics.Within(E with { Lo = -0.051 }, 0.05));
        Assert.True(Statistics.Within(new(0, -0.05, 0.05, 1), 0.05));              // the band's edge is inside
    }

    [Fact]
    public void At_least_judges_the_lower_bound_not_the_mean()
    {
        Assert.True(Statistics.AtLeast(new(0.3, 0.2, 0.4, 1), 0.2));
        Assert.False(Statistics.AtLeast(new(0.3, 0.19, 0.4, 1), 0.2));
        Assert.False(Statistics.AtLeast(new(0.3, -0.1, 0.7, 1), 0.056));            // a large but unresolved mean
    }

    [Fact]
    public void Peak_is_the_first_largest_and_paired_subtracts_item_by_item()
    {
        Assert.Equal(2, Statistics.Peak([0.1, 0.3, 0.5, 0.2]));
        Assert.Equal(1, Statistics.Peak([0.1, 0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => Statistics.Peak([]));
        Assert.Equal([0.5, -1.0, 0.0], Statistics.Paired([1, 0, 0.25], [0.5, 1, 0.25]));
        Assert.Throws<ArgumentException>(() => Statistics.Paired([1], [1, 2]));
    }

    [Fact]
    public void Difference_is_the_paired_mean_with_the_study_seed()
    {
        var e = Statistics.Difference([1, 1, 0, 1], [0, 1, 0, 0]);
        Assert.Equal(0.5, e.Mean, 12);
        Assert.Equal(AmuroChar.Evaluation.Bootstrap.DifferenceCi([1, 1, 0, 1], [0, 1, 0, 0], Statistics.Seed), e);
    }

    [Fact]
    public void A_curve_trend_rises_only_when_resolved_and_correlated()
    {
        var rising = new ItemCurve("r", [1, 2, 3], [[0, 0, 0, 0], [0, 1, 0, 0], [1, 1, 1, 1]]);
        Assert.True(rising.Trend().Rises);
        Assert.Equal(1.0, rising.Trend().Rho, 12);
        var flat = new ItemCurve("f", [1, 2, 3], [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
        Assert.False(flat.Trend().Rises);
        Assert.True(flat.Trend().FlatWithin(0.01));
        var dip = new ItemCurve("d", [1, 2, 3], [[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]);
        Assert.False(dip.Trend().Rises);
        Assert.True(dip.Trend().FlatWithin(0.01));   // flatness compares the ends; the level check catches a bump
    }
}
