using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

/// <summary>
/// Derives the statistical rule's multiplier from two complete sets of baselines made on two numeric platforms (the
/// same seeds, different bits: another pre-training and other fine-tunings, evaluated on the same items).
/// <para>
/// For each metric the change is expressed in the unit the rule uses, <c>r = |new − old| / max(h_old, h_new)</c> (h the
/// 95% half-width). Most metrics barely move (half of them not at all) while a few move by two half-widths, so a normal
/// model of r badly understates the tail; the tail is modelled as it is measured instead (peaks over a threshold): above
/// u, the 90th percentile of r, the excesses are taken as exponential with their mean m. A share p of the M metrics lies
/// above u, so a rule of k half-widths flags some metric by chance with probability about
/// <c>M · p · exp(−(k − u) / m)</c>; setting that to α gives <c>k = u + m · ln(M · p / α)</c>. Metrics whose intervals
/// are both zero-width (deterministic numbers) carry no unit and are left out (<see cref="Result.Degenerate"/>).
/// </para>
/// </summary>
public static class ToleranceCalibration
{
    public sealed record Result(int Metrics, int Degenerate, double Median, double Quantile99, double Largest, string LargestMetric,
        double Threshold, double MeanExcess, double Factor);

    /// <param name="pairs">Each metric's (name, old, new) estimate.</param>
    /// <param name="alpha">The chance of flagging any metric when nothing but the platform changed.</param>
    public static Result Derive(IEnumerable<(string Metric, Estimate Old, Estimate New)> pairs, double alpha = 0.05)
    {
        var ratios = new List<(string Metric, double R)>();
        int degenerate = 0;
        foreach (var (metric, a, b) in pairs)
        {
            double h = Math.Max(ToleranceRule.HalfWidth(a), ToleranceRule.HalfWidth(b));
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
        return new Result(sorted.Count, degenerate, Quantile(0.5), Quantile(0.99), largest.R, largest.Metric, u, m, factor);
    }
}
