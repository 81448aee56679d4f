using AmuroChar.Evaluation;
using AmuroChar.Randomness;

namespace AmuroChar.Findings;

/// <summary>
/// One model kind's per-item scores on one evaluation set at one checkpoint: a list per fine-tuning run (seed), or
/// a single list for a base or instruction-tuned model. <see cref="Set"/> names the evaluation set; cells of the same
/// set score the same items in the same order, which is what lets a bootstrap resample those items once for all of
/// them. <see cref="SeedGroup"/> names what the runs' seeds are shared with: runs of cells in one group are the
/// same seeds in the same order (run r of every cell fine-tuned on MNLI is seed r, which fixed its data order at
/// every checkpoint), so a bootstrap draws the group's seeds once for all of them; null means runs independent of
/// every other cell's.
/// </summary>
public sealed record Cell
{
    public string Set { get; }
    public IReadOnlyList<IReadOnlyList<double>> Runs { get; }
    public string? SeedGroup { get; }

    public Cell(string set, IReadOnlyList<IReadOnlyList<double>> runs, string? seedGroup = null)
    {
        if (runs.Count == 0) throw new ArgumentException($"cell of '{set}': no runs");
        for (int r = 0; r < runs.Count; r++)
            if (runs[r].Count == 0 || runs[r].Count != runs[0].Count)
                throw new ArgumentException($"cell of '{set}': run {r} has {runs[r].Count} items, run 0 has {runs[0].Count} (runs score the same non-empty item set)");
        Set = set;
        Runs = runs;
        SeedGroup = runs.Count > 1 ? seedGroup : null;   // one run: nothing to draw
    }

    public static Cell Single(string set, IReadOnlyList<double> items) => new(set, [items]);

    public int ItemCount => Runs[0].Count;

    /// <summary>Each item's score averaged over runs.</summary>
    public IReadOnlyList<double> ItemMeans => Runs.Count == 1 ? Runs[0]
        : Enumerable.Range(0, ItemCount).Select(i => Runs.Average(r => r[i])).ToList();

    public double Mean => Runs.Average(Bootstrap.Mean);

    /// <summary>
    /// This cell minus <paramref name="other"/>, item by item: run r minus run r when both have as many runs (the same
    /// fine-tuned model read two ways, e.g. two prompt formats), or every run minus the one run of a base model.
    /// </summary>
    public Cell Minus(Cell other)
    {
        if (other.ItemCount != ItemCount) throw new ArgumentException($"'{Set}' has {ItemCount} items, '{other.Set}' {other.ItemCount}: paired cells score the same items");
        if (other.Runs.Count != 1 && other.Runs.Count != Runs.Count)
            throw new ArgumentException($"'{Set}': {Runs.Count} runs against {other.Runs.Count}; pair runs one to one or against a single run");
        if (other.Runs.Count > 1 && other.SeedGroup != SeedGroup)
            throw new ArgumentException($"'{Set}': runs of seed group '{SeedGroup}' paired with runs of '{other.SeedGroup}'; pair runs of the same seeds");
        return new(Set, Runs.Select((run, r) => Statistics.Paired(run, other.Runs[other.Runs.Count == 1 ? 0 : r])).ToList(), SeedGroup);
    }
}

/// <summary>A cell with its weight in a linear statistic (Σ weight × cell mean).</summary>
public readonly record struct Term(double Weight, Cell Cell);

/// <summary>
/// A two-level percentile bootstrap of any weighted sum of cell means, carrying both sources of noise a claim over
/// fine-tuned models depends on:
/// <list type="bullet">
/// <item>items: each evaluation set's item indices are drawn once per round and shared by every cell that scores
/// that set, so a pooled statistic whose cells reuse the same items is not credited with independent samples it
/// does not have (and differences over the same items stay paired);</item>
/// <item>fine-tuning runs: the seeds are drawn with replacement per round once per seed group (<see
/// cref="Cell.SeedGroup"/>) and shared by every cell of the group, because a seed fixes a fine-tuning's data order
/// at every checkpoint and one model feeds several cells (sets, formats) of a pooled statistic; cells without a group
/// draw their runs independently.</item>
/// </list>
/// With one run per cell and one cell this is exactly <see cref="Bootstrap.MeanCi"/> (same draws, same interval).
/// With few runs the run level is resampled from a small sample, which understates its spread by about (R−1)/R;
/// three runs is the least that gives it any width. The generator is the project's one (<see cref="SplitMix64"/>).
/// </summary>
public static class HierarchicalBootstrap
{
    public static Estimate Linear(IReadOnlyList<Term> terms, int seed = Statistics.Seed, int resamples = Bootstrap.DefaultResamples)
    {
        if (terms.Count == 0) throw new ArgumentException("a statistic needs at least one cell", nameof(terms));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var sets = new List<string>();
        var sizes = new Dictionary<string, int>();
        foreach (var t in terms)
        {
            if (!double.IsFinite(t.Weight)) throw new ArgumentException($"cell of '{t.Cell.Set}' has weight {t.Weight}");
            foreach (var run in t.Cell.Runs)
                for (int i = 0; i < run.Count; i++)
                    if (!double.IsFinite(run[i])) throw new ArgumentException($"cell of '{t.Cell.Set}': item {i} is {run[i]}; scores must be finite");
            if (sizes.TryGetValue(t.Cell.Set, out int n))
            {
                if (n != t.Cell.ItemCount) throw new ArgumentException($"set '{t.Cell.Set}' has {n} items in one cell and {t.Cell.ItemCount} in another");
            }
            else { sizes[t.Cell.Set] = t.Cell.ItemCount; sets.Add(t.Cell.Set); }
        }

        double observed = terms.Sum(t => t.Weight * t.Cell.Mean);
        var groups = new Dictionary<string, int>();
        foreach (var t in terms)
            if (t.Cell.SeedGroup is { } g)
            {
                if (groups.TryGetValue(g, out int runs) && runs != t.Cell.Runs.Count)
                    throw new ArgumentException($"seed group '{g}' has {runs} runs in one cell and {t.Cell.Runs.Count} in another");
                groups[g] = t.Cell.Runs.Count;
            }

        var rng = new SplitMix64((ulong)(long)seed);
        var indices = sets.ToDictionary(s => s, s => new int[sizes[s]]);
        var picks = groups.ToDictionary(g => g.Key, g => new int[g.Value]);
        var samples = new double[resamples];
        for (int round = 0; round < resamples; round++)
        {
            foreach (string s in sets)
            {
                var idx = indices[s];
                for (int k = 0; k < idx.Length; k++) idx[k] = rng.NextIndex(idx.Length);
            }
            foreach (var pick in picks.Values)
                for (int r = 0; r < pick.Length; r++) pick[r] = rng.NextIndex(pick.Length);
            double value = 0;
            foreach (var t in terms)
            {
                var runs = t.Cell.Runs;
                var idx = indices[t.Cell.Set];
                var shared = t.Cell.SeedGroup is { } group ? picks[group] : null;
                double cellMean = 0;
                for (int r = 0; r < runs.Count; r++)
                {
                    var run = runs[runs.Count == 1 ? 0 : shared is not null ? shared[r] : rng.NextIndex(runs.Count)];
                    double sum = 0;
                    for (int k = 0; k < idx.Length; k++) sum += run[idx[k]];
                    cellMean += sum / idx.Length;
                }
                value += t.Weight * cellMean / runs.Count;
            }
            samples[round] = value;
        }
        Array.Sort(samples);
        return new Estimate(observed, Bootstrap.Percentile(samples, 0.025), Bootstrap.Percentile(samples, 0.975), sizes.Values.Sum());
    }

    public static Estimate Mean(Cell cell) => Linear([new Term(1, cell)]);

    /// <summary>mean(a) − mean(b): over the same items when both score one set (a checkpoint against another), with
    /// their runs resampled independently.</summary>
    public static Estimate Difference(Cell a, Cell b) => Linear([new Term(1, a), new Term(-1, b)]);

    /// <summary>The mean over cells of each cell's mean: every cell weighs equally (a 160-item generation set as much
    /// as a 400-item classification set, as in the paper's means).</summary>
    public static Estimate MeanOfMeans(IReadOnlyList<Cell> cells) => Linear(Equal(cells, 1).ToList());

    public static Estimate MeanOfMeansDifference(IReadOnlyList<Cell> a, IReadOnlyList<Cell> b) => Linear([.. Equal(a, 1), .. Equal(b, -1)]);

    /// <summary>Terms giving each cell weight <paramref name="sign"/> / count.</summary>
    public static IEnumerable<Term> Equal(IReadOnlyList<Cell> cells, double sign)
    {
        if (cells.Count == 0) throw new ArgumentException("a group needs at least one cell", nameof(cells));
        return cells.Select(c => new Term(sign / cells.Count, c));
    }
}
