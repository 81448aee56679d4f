using AmuroChar.Evaluation;
using AmuroChar.Randomness;

namespace AmuroChar.Findings;

/// <summary>Bootstrap of means over groups of datasets: each resample draws every dataset's items with replacement,
/// averages within datasets, then within groups, so each dataset weighs equally as in the paper's means (a 160-item
/// generation set counts as much as a 400-item classification set).</summary>
public static class GroupBootstrap
{
    /// <summary>Mean over datasets of each dataset's mean (a pooled change over tasks, suites or cells).</summary>
    public static Estimate MeanOfMeans(IReadOnlyList<IReadOnlyList<double>> group, int seed = Statistics.Seed, int resamples = 1000)
    {
        Check(group, nameof(group));
        var rng = new SplitMix64((ulong)seed);
        var samples = new double[resamples];
        for (int r = 0; r < resamples; r++) samples[r] = Resampled(group, ref rng);
        return Interval(MeanOfMeansOf(group), samples, group.Sum(d => d.Count));
    }

    /// <summary>Mean of means of group A minus that of group B, both resampled in each round.</summary>
    public static Estimate MeanOfMeansDifference(IReadOnlyList<IReadOnlyList<double>> groupA, IReadOnlyList<IReadOnlyList<double>> groupB, int seed = Statistics.Seed, int resamples = 1000)
    {
        Check(groupA, nameof(groupA));
        Check(groupB, nameof(groupB));
        var rng = new SplitMix64((ulong)seed);
        var samples = new double[resamples];
        for (int r = 0; r < resamples; r++) samples[r] = Resampled(groupA, ref rng) - Resampled(groupB, ref rng);
        return Interval(MeanOfMeansOf(groupA) - MeanOfMeansOf(groupB), samples, groupA.Sum(d => d.Count) + groupB.Sum(d => d.Count));
    }

    static double MeanOfMeansOf(IEnumerable<IReadOnlyList<double>> g) => g.Average(d => d.Average());

    static double Resampled(IReadOnlyList<IReadOnlyList<double>> group, ref SplitMix64 rng)
    {
        double total = 0;
        foreach (var d in group)
        {
            double sum = 0;
            for (int i = 0; i < d.Count; i++) sum += d[rng.NextIndex(d.Count)];
            total += sum / d.Count;
        }
        return total / group.Count;
    }

    static Estimate Interval(double observed, double[] samples, int n)
    {
        Array.Sort(samples);
        return new Estimate(observed, Bootstrap.Percentile(samples, 0.025), Bootstrap.Percentile(samples, 0.975), n);
    }

    static void Check(IReadOnlyList<IReadOnlyList<double>> group, string name)
    {
        if (group.Count == 0) throw new ArgumentException("a group needs at least one dataset", name);
        for (int i = 0; i < group.Count; i++)
            if (group[i].Count == 0) throw new ArgumentException($"dataset {i} of the group has no items", name);
    }
}
