using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Randomness;

namespace AmuroChar.Evaluation;

/// <summary>A mean with its 95% bootstrap interval over <see cref="N"/> items.</summary>
public readonly record struct Estimate(double Mean, double Lo, double Hi, int N)
{
    /// <summary>The whole interval lies above zero (for a difference: "better, with 95% confidence").</summary>
    public bool IsPositive => Lo > 0;
    public bool IsNegative => Hi < 0;

    // The one JSON shape of an estimate wherever one is written (evaluation results, the rouge command, results.json,
    // `evaluate`): "mean", "ci95": [lo, hi], "n", in that order. Baseline files keep their own one-line text layout
    // (Baselines/BaselineFile.cs) with the same keys, so a baseline diff is one line per metric.

    /// <summary>Writes the three fields into the object <paramref name="w"/> is in.</summary>
    public void WriteFields(Utf8JsonWriter w)
    {
        w.WriteNumber("mean", Mean);
        w.WriteStartArray("ci95");
        w.WriteNumberValue(Lo);
        w.WriteNumberValue(Hi);
        w.WriteEndArray();
        w.WriteNumber("n", N);
    }

    /// <summary><c>{"mean": m, "ci95": [lo, hi], "n": n}</c>, rounded to <paramref name="decimals"/> when given.</summary>
    public JsonObject ToJson(int? decimals = null)
    {
        double Round(double v) => decimals is { } d ? Math.Round(v, d) : v;
        return new JsonObject { ["mean"] = Round(Mean), ["ci95"] = new JsonArray(Round(Lo), Round(Hi)), ["n"] = N };
    }
}

/// <summary>
/// Percentile bootstrap for the mean of per-item scores. The paper used HF evaluate's unseeded bootstrap; ours is
/// seeded and uses the project's one generator (<see cref="SplitMix64"/>), so an interval is the same on every machine and
/// every .NET version. Each of <c>resamples</c> rounds draws N item indices uniformly with replacement; the interval
/// is the 2.5th and 97.5th percentile of the resampled means with linear interpolation between order statistics
/// (numpy's default <c>np.percentile</c>, "type 7"). <see cref="Estimate.Mean"/> is the mean of the original sample.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;

    /// <summary>The one seed every reported interval is drawn with (the paper's arXiv date), so an interval is the
    /// same wherever it is computed: evaluation, findings, fault injection and the rouge command.</summary>
    public const int DefaultSeed = 20240814;

    public static Estimate MeanCi(IReadOnlyList<double> values, int seed, int resamples = DefaultResamples)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("cannot bootstrap the mean of no values", nameof(values));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"value {i} is {values[i]}; scores must be finite", nameof(values));

        int n = values.Count;
        double mean = Mean(values);
        var rng = new SplitMix64((ulong)(long)seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int k = 0; k < n; k++) sum += values[rng.NextIndex(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        return new Estimate(mean, Percentile(means, 0.025), Percentile(means, 0.975), n);
    }

    /// <summary>
    /// Interval for mean(a) − mean(b) where a[i] and b[i] score the same item two ways (e.g. fine-tuned and base).
    /// Resampling items jointly is resampling the per-item differences, which keeps the pairing's variance reduction.
    /// </summary>
    public static Estimate DifferenceCi(IReadOnlyList<double> a, IReadOnlyList<double> b, int seed, int resamples = DefaultResamples)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"paired scores need equal counts, got {a.Count} and {b.Count}", nameof(b));
        var diff = new double[a.Count];
        for (int i = 0; i < diff.Length; i++) diff[i] = a[i] - b[i];
        return MeanCi(diff, seed, resamples);
    }

    public static double Mean(IReadOnlyList<double> values)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++) sum += values[i];
        return sum / values.Count;
    }

    /// <summary>Linear-interpolated percentile of sorted data: position q·(n−1), as numpy's default method.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("no data", nameof(sorted));
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1.0);
        double h = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Count - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}
