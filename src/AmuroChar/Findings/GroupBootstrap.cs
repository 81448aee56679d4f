using AmuroChar.Evaluation;

namespace AmuroChar.Findings;

/// <summary>Bootstrap of a difference between two groups of datasets: each resample draws every dataset's items with
/// replacement, averages within datasets, then within groups, so each dataset weighs equally as in the paper's means.</summary>
public static class GroupBootstrap
{
    public static Estimate MeanOfMeansDifference(IReadOnlyList<IReadOnlyList<double>> groupA, IReadOnlyList<IReadOnlyList<double>> groupB, int seed, int resamples = 1000)
    {
        static double MeanOfMeans(IEnumerable<IReadOnlyList<double>> g) => g.Average(d => d.Average());
        double observed = MeanOfMeans(groupA) - MeanOfMeans(groupB);
        var rng = new SplitMix64((ulong)seed);
        var samples = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double Resampled(IReadOnlyList<IReadOnlyList<double>> group) => group.Average(d =>
            {
                double sum = 0;
                for (int i = 0; i < d.Count; i++) sum += d[rng.NextIndex(d.Count)];
                return sum / d.Count;
            });
            samples[r] = Resampled(groupA) - Resampled(groupB);
        }
        Array.Sort(samples);
        int n = groupA.Sum(d => d.Count) + groupB.Sum(d => d.Count);
        return new Estimate(observed, Bootstrap.Percentile(samples, 0.025), Bootstrap.Percentile(samples, 0.975), n);
    }
}
