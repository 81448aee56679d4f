using AmuroChar.Evaluation;
using AmuroChar.Randomness;
using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

public class GroupBootstrapTests
{
    static double[] Scores(int n, double p, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.Next() >> 11) * (1.0 / (1UL << 53)) < p ? 1.0 : 0.0).ToArray();
    }

    static readonly IReadOnlyList<IReadOnlyList<double>> A = [Scores(120, 0.7, 1), Scores(40, 0.5, 2), Scores(300, 0.6, 3)];
    static readonly IReadOnlyList<IReadOnlyList<double>> B = [Scores(200, 0.4, 4), Scores(80, 0.55, 5)];

    [Fact]
    public void The_estimate_is_the_difference_of_means_of_dataset_means()
    {
        IReadOnlyList<IReadOnlyList<double>> a = [[1, 0, 1, 1], [0.5, 0.5]];   // dataset means .75 and .5 → .625
        IReadOnlyList<IReadOnlyList<double>> b = [[0, 0, 1]];                  // → 1/3
        var e = GroupBootstrap.MeanOfMeansDifference(a, b, seed: 1);
        Assert.Equal(0.625 - 1.0 / 3, e.Mean, 12);
        Assert.Equal(9, e.N);
    }

    [Fact]
    public void It_is_deterministic_per_seed_and_varies_with_the_seed()
    {
        var first = GroupBootstrap.MeanOfMeansDifference(A, B, seed: 7);
        Assert.Equal(first, GroupBootstrap.MeanOfMeansDifference(A, B, seed: 7));
        var other = GroupBootstrap.MeanOfMeansDifference(A, B, seed: 8);
        Assert.Equal(first.Mean, other.Mean);
        Assert.True(first.Lo != other.Lo || first.Hi != other.Hi);
    }

    [Fact]
    public void The_interval_contains_the_observed_difference_and_has_a_sensible_width()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var e = GroupBootstrap.MeanOfMeansDifference(A, B, seed);
            Assert.InRange(e.Mean, e.Lo, e.Hi);
            Assert.True(e.Lo < e.Hi);
            // Normal theory: sd of the difference ≈ sqrt(Σ p(1-p)/n / 9 + Σ p(1-p)/n / 4) ≈ 0.042 → width ≈ 0.16.
            Assert.InRange(e.Hi - e.Lo, 0.10, 0.24);
        }
        // Swapping the groups mirrors the estimate.
        var ab = GroupBootstrap.MeanOfMeansDifference(A, B, 1);
        var ba = GroupBootstrap.MeanOfMeansDifference(B, A, 1);
        Assert.Equal(-ab.Mean, ba.Mean, 12);
    }

    [Fact]
    public void Constant_scores_give_a_zero_width_interval()
    {
        var e = GroupBootstrap.MeanOfMeansDifference([[1, 1, 1], [0.5, 0.5]], [[0.25, 0.25]], seed: 3);
        Assert.Equal(0.5, e.Mean, 12);
        Assert.Equal(e.Mean, e.Lo, 12);
        Assert.Equal(e.Mean, e.Hi, 12);
    }
}

public class PooledMeanTests
{
    [Fact]
    public void Each_dataset_weighs_equally_whatever_its_size()
    {
        IReadOnlyList<IReadOnlyList<double>> g = [[1, 1, 1, 1, 1, 1, 1, 1], [0, 0]];   // 8 items at 1, 2 at 0 → .5, not .8
        var e = GroupBootstrap.MeanOfMeans(g);
        Assert.Equal(0.5, e.Mean, 12);
        Assert.Equal(10, e.N);
        Assert.Equal(0.5, e.Lo, 12);   // constant within each dataset: nothing to resample
        Assert.Equal(0.5, e.Hi, 12);
    }

    [Fact]
    public void It_matches_the_difference_against_a_group_of_zeros_in_the_mean_and_brackets_it()
    {
        IReadOnlyList<IReadOnlyList<double>> g = [[1, 0, 1, 1, 0, 1], [0.2, 0.4, 0.1]];
        var pooled = GroupBootstrap.MeanOfMeans(g, seed: 3);
        var viaDifference = GroupBootstrap.MeanOfMeansDifference(g, [[0.0]], seed: 3);
        Assert.Equal(viaDifference.Mean, pooled.Mean, 12);
        Assert.InRange(pooled.Mean, pooled.Lo, pooled.Hi);
        Assert.Equal(pooled, GroupBootstrap.MeanOfMeans(g, seed: 3));
    }

    [Fact]
    public void Empty_groups_and_datasets_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GroupBootstrap.MeanOfMeans([]));
        Assert.Throws<ArgumentException>(() => GroupBootstrap.MeanOfMeans([[1.0], []]));
        Assert.Throws<ArgumentException>(() => GroupBootstrap.MeanOfMeansDifference([[1.0]], []));
    }
}
