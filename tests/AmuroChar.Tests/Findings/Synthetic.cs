using AmuroChar.Evaluation;
using AmuroChar.Randomness;
using AmuroChar.Findings;

namespace AmuroChar.Tests.Findings;

/// <summary>Synthetic measurements for the verdicts: per-item scores with exactly the intended mean, so a test's
/// expectation follows from its numbers and not from luck of a draw.</summary>
static class Synthetic
{
    public static readonly int[] Steps = [50, 150, 350, 700];

    /// <summary>n 0/1 scores with exactly round(p·n) ones, in a seeded order (so two steps' items are not
    /// the same items shifted, and paired differences have honest variance).</summary>
    public static double[] Binary(int n, double p, ulong seed)
    {
        int ones = (int)Math.Round(p * n);
        var items = Enumerable.Range(0, n).Select(i => i < ones ? 1.0 : 0.0).ToArray();
        var rng = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextIndex(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    /// <summary>n continuous scores (ROUGE-like) with mean exactly <paramref name="mean"/>, spread ±spread/2.</summary>
    public static double[] Continuous(int n, double mean, double spread, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var x = Enumerable.Range(0, n).Select(_ => spread * ((rng.Next() >> 11) * (1.0 / (1UL << 53)) - 0.5)).ToArray();
        double shift = mean - x.Average();
        return x.Select(v => v + shift).ToArray();
    }

    /// <summary>Accuracy curve. <paramref name="stable"/>: the same items are right at every step as far as the means
    /// allow (a model that keeps its answers, as a label-biased base model does); otherwise each step draws which
    /// items are right afresh (a model at chance whose answers change between checkpoints).</summary>
    public static ItemCurve Accuracy(string name, double[] means, int n = 400, ulong seed = 1, int[]? steps = null, bool stable = false) =>
        new(name, steps ?? Steps, means.Select((p, i) => (IReadOnlyList<double>)Binary(n, p, stable ? seed : seed * 1000 + (ulong)i)).ToList());

    public static ItemCurve Rouge(string name, double[] means, int n = 160, double spread = 0.2, ulong seed = 1, int[]? steps = null) =>
        new(name, steps ?? Steps, means.Select((m, i) => (IReadOnlyList<double>)Continuous(n, m, spread, seed * 1000 + (ulong)i)).ToList());

    /// <summary>A curve whose every item scores the same at every step (a model that always answers alike).</summary>
    public static ItemCurve Constant(string name, double value, int n = 400, int[]? steps = null) =>
        new(name, steps ?? Steps, (steps ?? Steps).Select(_ => (IReadOnlyList<double>)Enumerable.Repeat(value, n).ToArray()).ToList());

    /// <summary>A tuned curve equal to <paramref name="base_"/> plus a per-step shift on every item (exact gains).</summary>
    public static ItemCurve Shifted(ItemCurve base_, double[] gains, string? name = null) =>
        new(name ?? base_.Name, base_.Steps, base_.Items.Select((items, i) => (IReadOnlyList<double>)items.Select(x => x + gains[i]).ToArray()).ToList());

    /// <summary>A base model that tells the answers apart (balanced accuracy .70 [.65, .75] against chance .25), at every step.</summary>
    public static IReadOnlyList<Discrimination> Discriminating(int steps = 4) =>
        Enumerable.Repeat(new Discrimination(new AmuroChar.Evaluation.Estimate(0.70, 0.65, 0.75, 300), 0.25), steps).ToList();

    /// <summary>A base model at chance (balanced accuracy .50 [.45, .55] against chance .50), at every step.</summary>
    public static IReadOnlyList<Discrimination> AtChance(int steps = 4) =>
        Enumerable.Repeat(new Discrimination(new AmuroChar.Evaluation.Estimate(0.50, 0.45, 0.55, 300), 0.50), steps).ToList();
}
