using AmuroChar.Evaluation;
using AmuroChar.Randomness;
using Xunit;

namespace AmuroChar.Tests.Evaluation;

public class BootstrapTests
{
    /// <summary>Deterministic 0/1 scores with success rate p.</summary>
    static double[] Bernoulli(int n, double p, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.Next() >> 11) * (1.0 / (1UL << 53)) < p ? 1.0 : 0.0).ToArray();
    }

    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // First outputs of Vigna's splitmix64.c from state 0.
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.Next());
        Assert.Equal(0x06C45D188009454FUL, rng.Next());
    }

    [Fact]
    public void NextIndex_covers_the_range_evenly()
    {
        var rng = new SplitMix64(7);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[rng.NextIndex(10)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Equal(0, new SplitMix64(1).NextIndex(1));
    }

    [Fact]
    public void Same_seed_gives_identical_results_and_other_seeds_differ()
    {
        var values = Bernoulli(200, 0.6, 1);
        var a = Bootstrap.MeanCi(values, seed: 42);
        Assert.Equal(a, Bootstrap.MeanCi(values, seed: 42));
        var b = Bootstrap.MeanCi(values, seed: 43);
        Assert.Equal(a.Mean, b.Mean);
        Assert.True(a.Lo != b.Lo || a.Hi != b.Hi);
    }

    [Fact]
    public void Interval_contains_the_mean_and_narrows_with_more_items()
    {
        var small = Bootstrap.MeanCi(Bernoulli(50, 0.5, 3), seed: 1);
        var large = Bootstrap.MeanCi(Bernoulli(5000, 0.5, 3), seed: 1);
        foreach (var e in new[] { small, large })
        {
            Assert.InRange(e.Mean, e.Lo, e.Hi);
            Assert.True(e.Lo < e.Hi);
        }
        Assert.Equal(50, small.N);
        Assert.True(large.Hi - large.Lo < (small.Hi - small.Lo) / 5, $"{large} vs {small}");
        // Roughly the normal-theory width 2·1.96·sqrt(p(1-p)/n) ≈ 0.0277 for n = 5000.
        Assert.InRange(large.Hi - large.Lo, 0.022, 0.034);
    }

    [Fact]
    public void Constant_scores_give_a_zero_width_interval()
    {
        var e = Bootstrap.MeanCi(Enumerable.Repeat(0.1, 37).ToArray(), seed: 5);
        Assert.Equal(e.Mean, e.Lo);
        Assert.Equal(e.Mean, e.Hi);
        var one = Bootstrap.MeanCi([0.25], seed: 5);
        Assert.Equal(new Estimate(0.25, 0.25, 0.25, 1), one);
    }

    [Fact]
    public void Bad_input_is_rejected_clearly()
    {
        var ex = Assert.Throws<ArgumentException>(() => Bootstrap.MeanCi([], seed: 1));
        Assert.Contains("no values", ex.Message);
        Assert.Throws<ArgumentException>(() => Bootstrap.MeanCi([1, double.NaN], seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanCi([1, 2], seed: 1, resamples: 0));
        Assert.Throws<ArgumentException>(() => Bootstrap.DifferenceCi([1, 2], [1], seed: 1));
    }

    [Fact]
    public void Percentile_interpolates_linearly_like_numpy()
    {
        Assert.Equal(2.5, Bootstrap.Percentile([1, 2, 3, 4], 0.5));
        Assert.Equal(0.25, Bootstrap.Percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.025), 12);
        Assert.Equal(9.75, Bootstrap.Percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.975), 12);
        Assert.Equal(4, Bootstrap.Percentile([4], 0.975));
        Assert.Equal(10, Bootstrap.Percentile([0, 10], 1.0));
    }

    [Fact]
    public void Paired_difference_detects_a_consistent_gain()
    {
        var b = Bernoulli(300, 0.4, 11);
        var a = b.Select((x, i) => i % 5 == 0 ? 1.0 : x).ToArray();   // fine-tuned fixes some items, breaks none
        var d = Bootstrap.DifferenceCi(a, b, seed: 3);
        Assert.Equal(Bootstrap.Mean(a) - Bootstrap.Mean(b), d.Mean, 12);
        Assert.True(d.IsPositive, d.ToString());
        Assert.False(Bootstrap.DifferenceCi(b, b, seed: 3).IsPositive);
        Assert.True(Bootstrap.DifferenceCi(b, a, seed: 3).IsNegative);
    }
}
