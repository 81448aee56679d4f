using AmuroChar.Evaluation;
using static AmuroChar.Findings.Show;

namespace AmuroChar.Findings;

/// <summary>
/// "Unchanged" and "changes little" as clauses. A pooled mean alone lets signed changes cancel (+0.117 on one suite and
/// −0.057 on another pool to "little"), and cells where the base model sits at chance pool in exact zeros that say
/// nothing. So the claim is judged on the cells whose base model discriminates (<see cref="Discrimination"/>), and
/// twice: the pooled change lies within ±band with 95% confidence, and no single cell moved beyond ±band with 95%
/// confidence (its interval lies wholly outside the band). Per cell the weaker, "not shown to move far", is the test
/// a few hundred items can pass when nothing moved: asking each cell's interval to lie inside ±0.05 would fail on
/// noise alone at tiny scale (half-widths ≈ .07).
/// </summary>
public static class Equivalence
{
    /// <summary>One (model, set, checkpoint) change and whether its base model could show one.</summary>
    public sealed record GatedCell(string Name, Cell Change, Discrimination Base);

    /// <summary>The two clauses, named "<paramref name="prefix"/>pooled change within ±band" and
    /// "<paramref name="prefix"/>no cell beyond ±band" (<paramref name="what"/> names the cells, e.g. "suite"), and
    /// context lines listing the cells that can't show a change. No discriminating cell: both not testable, or with
    /// <paramref name="skipWhenNone"/> no clauses at all (a claim judged at several checkpoints skips one where nothing
    /// is learned yet, and is not testable only if that is every checkpoint).</summary>
    public static (IReadOnlyList<Clause> Clauses, IReadOnlyList<string> Context) Judge(string prefix, string what, IReadOnlyList<GatedCell> cells, double band,
        bool skipWhenNone = false)
    {
        if (cells.Count == 0) throw new ArgumentException("no cells to judge");
        string pooledName = $"{prefix}pooled change within ±{band}", cellName = $"{prefix}no {what} beyond ±{band}";
        var counted = cells.Where(c => c.Base.AboveChance).ToList();
        var leftOut = cells.Where(c => !c.Base.AboveChance).ToList();
        var context = new List<string>();
        if (leftOut.Count > 0)
            context.Add($"{prefix}left out, the base model at chance (nothing to lose): " +
                        string.Join("; ", leftOut.Select(c => $"{c.Name} ({c.Base.Describe()}, change {Signed(c.Change.Mean)})")));
        if (counted.Count == 0)
        {
            string why = $"no {what} whose base model discriminates (balanced accuracy's lower bound above chance), so no change can be seen";
            if (skipWhenNone) return ([], [.. context, $"{prefix}not judged: {why}"]);
            return ([Clause.Untestable(pooledName, why), Clause.Untestable(cellName, why)], context);
        }
        var pooled = HierarchicalBootstrap.MeanOfMeans(counted.Select(c => c.Change).ToList());
        var each = counted.Select(c => (c.Name, Change: HierarchicalBootstrap.Mean(c.Change))).ToList();
        var far = each.Where(c => Beyond(c.Change, band)).ToList();
        double meanAbsolute = each.Average(c => Math.Abs(c.Change.Mean));
        return (
        [
            Clause.Judge(pooledName, Statistics.Within(pooled, band),
                $"pooled over {counted.Count} of {cells.Count} {what}s: {Fmt(pooled)}; mean absolute change {meanAbsolute:0.000}"),
            Clause.Judge(cellName, far.Count == 0,
                far.Count > 0 ? "moved beyond the band with 95% confidence: " + string.Join("; ", far.Select(c => $"{c.Name} {Fmt(c.Change)}"))
                : "largest: " + string.Join("; ", each.OrderByDescending(c => Math.Abs(c.Change.Mean)).Take(2).Select(c => $"{c.Name} {Fmt(c.Change)}"))),
        ], context);
    }

    /// <summary>The whole 95% interval lies outside ±band.</summary>
    public static bool Beyond(Estimate change, double band) => change.Lo > band || change.Hi < -band;
}
