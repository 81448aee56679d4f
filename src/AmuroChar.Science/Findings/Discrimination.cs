using AmuroChar.Evaluation;
using AmuroChar.Randomness;
using static AmuroChar.Findings.Show;

namespace AmuroChar.Findings;

/// <summary>
/// Whether a base model tells an evaluation set's answers apart at one checkpoint: its balanced accuracy (recall
/// averaged over the gold answers, so a model answering one label for everything scores exactly chance on any label
/// mix) has a 95% lower bound above chance. A claim that a tuning left a set "unchanged" says nothing on a cell where
/// the base model sits at chance: nothing was there to lose, and two constant models differ by exactly 0. Such cells
/// are listed, not counted (the paper's BoolQ is one: its base accuracy .48–.62 never beats the majority share .62).
/// </summary>
/// <param name="BalancedAccuracy">Balanced accuracy with its percentile-bootstrap 95% interval over items.</param>
/// <param name="Chance">What guessing scores: 1 / labels, or for multiple choice the mean of 1 / choices.</param>
public sealed record Discrimination(Estimate BalancedAccuracy, double Chance)
{
    public const int Resamples = 1000;

    public bool AboveChance => BalancedAccuracy.Lo > Chance;

    public string Describe() => $"balanced accuracy {Fmt(BalancedAccuracy)}, chance {Chance:0.000}";

    /// <summary>
    /// From per-item correctness and gold answers (labels, or for multiple choice the answer text, so a yes/no set is
    /// balanced over yes and no while four-way questions with distinct answers reduce to plain accuracy). The items
    /// are resampled <see cref="Resamples"/> times with a generator seeded by <paramref name="stream"/>, so the same
    /// predictions always give the same interval.
    /// </summary>
    public static Discrimination Of(IReadOnlyList<bool> right, IReadOnlyList<string> gold, double chance, string stream)
    {
        if (right.Count != gold.Count) throw new ArgumentException($"{right.Count} scored items for {gold.Count} gold answers");
        if (gold.Count == 0) throw new ArgumentException("no items to measure discrimination on");
        if (!(chance > 0 && chance < 1)) throw new ArgumentOutOfRangeException(nameof(chance), chance, "chance must lie in (0, 1)");
        int n = gold.Count;
        var classes = gold.Distinct(StringComparer.Ordinal).Select((g, k) => (g, k)).ToDictionary(p => p.g, p => p.k, StringComparer.Ordinal);
        var cls = gold.Select(g => classes[g]).ToArray();
        var rng = Rng.For(n, "discrimination:" + stream);
        var draws = new double[Resamples];
        for (int r = 0; r < Resamples; r++) draws[r] = Balanced(right, cls, classes.Count, Enumerable.Range(0, n).Select(_ => rng.Next(n)).ToArray());
        Array.Sort(draws);
        return new(new Estimate(Balanced(right, cls, classes.Count, Enumerable.Range(0, n).ToArray()), Bootstrap.Percentile(draws, 0.025), Bootstrap.Percentile(draws, 0.975), n), chance);
    }

    /// <summary>
    /// Balanced accuracy at <paramref name="last"/> minus at <paramref name="first"/> on the same items, with a paired
    /// bootstrap 95% interval (each resample draws items once for both and recomputes both balanced accuracies). Two
    /// constant models differ by exactly 0 in every resample, whichever labels they answer — unlike plain accuracy,
    /// whose paired interval for a model that switches from one constant label to another is about ±0.1 at 400 items
    /// (the resampled label mix moves it), wider than a flatness band can ever contain.
    /// </summary>
    public static Estimate Change(IReadOnlyList<bool> first, IReadOnlyList<bool> last, IReadOnlyList<string> gold, string stream)
    {
        if (first.Count != gold.Count || last.Count != gold.Count) throw new ArgumentException($"{first.Count} and {last.Count} scored items for {gold.Count} gold answers");
        if (gold.Count == 0) throw new ArgumentException("no items to measure a change on");
        int n = gold.Count;
        var classes = gold.Distinct(StringComparer.Ordinal).Select((g, k) => (g, k)).ToDictionary(p => p.g, p => p.k, StringComparer.Ordinal);
        var cls = gold.Select(g => classes[g]).ToArray();
        double Diff(int[] sample) => Balanced(last, cls, classes.Count, sample) - Balanced(first, cls, classes.Count, sample);
        var rng = Rng.For(n, "balanced-change:" + stream);
        var draws = new double[Resamples];
        for (int r = 0; r < Resamples; r++) draws[r] = Diff(Enumerable.Range(0, n).Select(_ => rng.Next(n)).ToArray());
        Array.Sort(draws);
        return new Estimate(Diff(Enumerable.Range(0, n).ToArray()), Bootstrap.Percentile(draws, 0.025), Bootstrap.Percentile(draws, 0.975), n);
    }

    /// <summary>Recall averaged over the gold classes present in <paramref name="sample"/> (item indices).</summary>
    static double Balanced(IReadOnlyList<bool> right, int[] cls, int classCount, int[] sample)
    {
        var total = new int[classCount];
        var correct = new int[classCount];
        foreach (int i in sample) { total[cls[i]]++; if (right[i]) correct[cls[i]]++; }
        double sum = 0; int present = 0;
        for (int c = 0; c < classCount; c++)
            if (total[c] > 0) { sum += correct[c] / (double)total[c]; present++; }
        return sum / present;
    }
}
