using AmuroChar.Evaluation;

namespace AmuroChar.Findings;

/// <summary>The statistics the verdicts judge with: seeded bootstrap means and paired differences, rank correlation,
/// and the interval tests that turn an estimate into "within a band" or "at least an effect size".</summary>
public static class Statistics
{
    /// <summary>The one bootstrap seed of every judgement, so a verdict's interval is the same on every run.</summary>
    public const int Seed = Bootstrap.DefaultSeed;

    public static Estimate Mean(IReadOnlyList<double> items) => Bootstrap.MeanCi(items, Seed);

    /// <summary>Paired difference a − b over the same items.</summary>
    public static Estimate Difference(IReadOnlyList<double> a, IReadOnlyList<double> b) => Bootstrap.DifferenceCi(a, b, Seed);

    /// <summary>Item-by-item a − b.</summary>
    public static IReadOnlyList<double> Paired(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired scores need equal counts, got {a.Count} and {b.Count}");
        var d = new double[a.Count];
        for (int i = 0; i < d.Length; i++) d[i] = a[i] - b[i];
        return d;
    }

    /// <summary>The whole 95% interval lies within ±<paramref name="band"/>: "changes little", "stays flat".</summary>
    public static bool Within(Estimate e, double band) => e.Lo >= -band && e.Hi <= band;

    /// <summary>The interval's lower bound reaches <paramref name="effect"/>: "far above", "most", not merely "above".</summary>
    public static bool AtLeast(Estimate e, double effect) => e.Lo >= effect;

    /// <summary>Index of the largest value (the first, on ties).</summary>
    public static int Peak(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to find a peak in");
        int best = 0;
        for (int i = 1; i < values.Count; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Spearman's rank correlation (average ranks for ties); 0 when either side is constant.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException("rank correlation needs two lists of equal length");
        if (x.Count < 2) return 0;
        double[] rx = Ranks(x), ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average();
        double cov = 0, vx = 0, vy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            cov += (rx[i] - mx) * (ry[i] - my);
            vx += (rx[i] - mx) * (rx[i] - mx);
            vy += (ry[i] - my) * (ry[i] - my);
        }
        return vx == 0 || vy == 0 ? 0 : cov / Math.Sqrt(vx * vy);
    }

    static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            for (int k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return ranks;
    }
}
