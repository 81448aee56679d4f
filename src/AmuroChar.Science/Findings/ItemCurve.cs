using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;

namespace AmuroChar.Findings;

/// <summary>
/// The plain numbers a verdict judges: one dataset's per-item scores at each checkpoint (a <see cref="Cell"/> each:
/// one list per fine-tuning run, or one list for a base model), with no study, store or model behind them, so every
/// verdict can be unit-tested on synthetic measurements. Items are the same evaluation set in the same order at every
/// checkpoint, which is what makes differences between checkpoints (and between two models at one checkpoint)
/// paired; intervals come from <see cref="HierarchicalBootstrap"/>, which resamples items and runs.
/// </summary>
public sealed record ItemCurve
{
    public string Name { get; }
    public IReadOnlyList<int> Steps { get; }
    public IReadOnlyList<Cell> Cells { get; }

    /// <summary>One run per checkpoint (a base model); the items belong to the set <paramref name="name"/>.</summary>
    public ItemCurve(string name, IReadOnlyList<int> steps, IReadOnlyList<IReadOnlyList<double>> items)
        : this(name, steps, items.Select(i => Cell.Single(name, i)).ToList()) { }

    public ItemCurve(string name, IReadOnlyList<int> steps, IReadOnlyList<Cell> cells)
    {
        if (steps.Count == 0) throw new ArgumentException($"curve '{name}': no checkpoints");
        if (cells.Count != steps.Count) throw new ArgumentException($"curve '{name}': {cells.Count} item lists for {steps.Count} checkpoints");
        for (int i = 0; i < cells.Count; i++)
            if (cells[i].ItemCount != cells[0].ItemCount || cells[i].Set != cells[0].Set)
                throw new ArgumentException($"curve '{name}': {CheckpointStep.Name(steps[i])} has {cells[i].ItemCount} items of '{cells[i].Set}', {CheckpointStep.Name(steps[0])} has {cells[0].ItemCount} of '{cells[0].Set}' (paired curves need the same non-empty item set)");
        Name = name;
        Steps = steps;
        Cells = cells;
    }

    public int First => Steps[0];
    public int Last => Steps[^1];

    /// <summary>Per checkpoint, each item's score averaged over runs.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Items => Cells.Select(c => c.ItemMeans).ToList();

    /// <summary>The mean score with its 95% CI (items and runs resampled) at checkpoint index <paramref name="i"/>.</summary>
    public Estimate Mean(int i) => HierarchicalBootstrap.Mean(Cells[i]);
    public IReadOnlyList<double> Means => Cells.Select(c => c.Mean).ToList();

    /// <summary>How the curve moves: last − first (over the same items, runs resampled) and Spearman's ρ of mean against step.</summary>
    public CurveTrend Trend() => new(HierarchicalBootstrap.Difference(Cells[^1], Cells[0]), Statistics.Spearman(Steps.Select(s => (double)s).ToList(), Means));

    /// <summary>This curve minus <paramref name="other"/>, item by item at each checkpoint (e.g. fine-tuned − base;
    /// see <see cref="Cell.Minus"/> for how runs pair).</summary>
    public ItemCurve Minus(ItemCurve other, string? name = null)
    {
        if (!other.Steps.SequenceEqual(Steps)) throw new ArgumentException($"curves '{Name}' and '{other.Name}' are at different checkpoints");
        return new(name ?? $"{Name} − {other.Name}", Steps, Cells.Select((c, i) => c.Minus(other.Cells[i])).ToList());
    }

    /// <summary>The same curve restricted to the checkpoints at the given indices.</summary>
    public ItemCurve Select(IReadOnlyList<int> indices) => new(Name, indices.Select(i => Steps[i]).ToList(), indices.Select(i => Cells[i]).ToList());

    /// <summary>"0.12 → 0.30 → …" for evidence lines.</summary>
    public string Describe(string format = "0.000") => string.Join(" → ", Means.Select(m => m.ToString(format)));
}

/// <summary>How a curve moves between its first and last checkpoint.</summary>
public sealed record CurveTrend(Estimate LastMinusFirst, double Rho)
{
    /// <summary>Rises: positively correlated with the step and higher at the end, with 95% confidence.</summary>
    public bool Rises => Rho > 0 && LastMinusFirst.IsPositive;

    /// <summary>Flat: the whole 95% CI of last − first lies within ±<paramref name="band"/>. A level check alone would
    /// pass a curve that climbs steadily below its ceiling; this one fails it once the climb is resolved.</summary>
    public bool FlatWithin(double band) => Statistics.Within(LastMinusFirst, band);
}

/// <summary>A model and the model it was tuned from, on the same items at the same checkpoints.</summary>
public sealed record PairedCurve(ItemCurve Tuned, ItemCurve Base)
{
    public string Name => Tuned.Name;
    public ItemCurve Gain => Tuned.Minus(Base, $"{Tuned.Name} gain");
}
