using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

/// <summary>
/// Derives the statistical rule's multiplier from two complete sets of baselines made on two numeric platforms (the
/// same seeds, different bits: another pre-training and other fine-tunings, evaluated on the same items).
/// <para>
/// For each metric the change is expressed in the unit the rule uses, <c>r = |new − old| / √(max(h_old, h_new)² + s²)</c>
/// (h the 95% half-width, s a platform spread on the metric's scale, 0 for the plain half-width rule). Most metrics
/// barely move (half of them not at all) while a few move by several half-widths, so a normal model of r badly
/// understates the tail; the tail is modelled as it is measured instead (peaks over a threshold): above
/// u, the 90th percentile of r, the excesses are taken as exponential with their mean m. A share p of the M metrics lies
/// above u, so a rule of k half-widths flags some metric by chance with probability about
/// <c>M · p · exp(−(k − u) / m)</c>; setting that to α gives <c>k = u + m · ln(M · p / α)</c>. Metrics whose intervals
/// are both zero-width (deterministic numbers) carry no unit without a spread and are then left out
/// (<see cref="Result.Degenerate"/>).
/// </para>
/// <para>
/// Where no factor of a sensible size covers the measured changes (a metric moving by 27 half-widths: its interval sees
/// the items, not the pre-training), <see cref="SpreadFor"/> finds the smallest spread s at which a given factor does.
/// </para>
/// </summary>
public static class ToleranceCalibration
{
    public sealed record Result(int Metrics, int Degenerate, double Median, double Quantile99, double Largest, string LargestMetric,
        double Threshold, double MeanExcess, double Factor, double Spread = 0);

    /// <param name="pairs">Each metric's (name, old, new) estimate.</param>
    /// <param name="alpha">The chance of flagging any metric when nothing but the platform changed.</param>
    /// <param name="spread">The platform spread s added to each half-width in quadrature.</param>
    public static Result Derive(IEnumerable<(string Metric, Estimate Old, Estimate New)> pairs, double alpha = 0.05, double spread = 0)
    {
        var ratios = new List<(string Metric, double R)>();
        int degenerate = 0;
        foreach (var (metric, a, b) in pairs)
        {
            double h = ToleranceRule.Spanned(Math.Max(ToleranceRule.HalfWidth(a), ToleranceRule.HalfWidth(b)), spread);
            if (h <= 0) { degenerate++; continue; }
            ratios.Add((metric, Math.Abs(b.Mean - a.Mean) / h));
        }
        if (ratios.Count < 20) throw new ArgumentException($"{ratios.Count} metrics with a non-zero interval are too few to calibrate on", nameof(pairs));
        var sorted = ratios.Select(r => r.R).Order().ToList();
        double Quantile(double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
        double u = Quantile(0.9);
        var excesses = sorted.Where(r => r > u).Select(r => r - u).ToList();
        double m = excesses.Count > 0 ? excesses.Average() : 0;
        double share = (double)excesses.Count / sorted.Count;
        double factor = excesses.Count > 0 ? u + m * Math.Log(sorted.Count * share / alpha) : u;
        var largest = ratios.MaxBy(r => r.R);
        return new Result(sorted.Count, degenerate, Quantile(0.5), Quantile(0.99), largest.R, largest.Metric, u, m, factor, spread);
    }

    /// <summary>The smallest spread, on a grid of <paramref name="step"/>, at which the derived factor is at most
    /// <paramref name="factor"/> (0 when the plain half-widths already suffice).</summary>
    public static double SpreadFor(IReadOnlyList<(string Metric, Estimate Old, Estimate New)> pairs, double factor, double alpha = 0.05, double step = 0.005)
    {
        for (int i = 0; ; i++)
        {
            double spread = Math.Round(i * step, 6);
            if (Derive(pairs, alpha, spread).Factor <= factor) return spread;
            if (spread > 1) throw new ArgumentException($"no spread up to 1 brings the factor to {factor}", nameof(pairs));
        }
    }
}
