using AmuroChar.Evaluation;
using static AmuroChar.Findings.Show;

namespace AmuroChar.Findings;

/// <summary>
/// The verdicts of finding 1 on plain numbers: the learned suites rise; the fine-tuning tasks stay at chance or
/// floor <em>and</em> flat. Thresholds sit next to the paper numbers they come from (paper-results-by-checkpoint.txt,
/// base 4-shot, steps 1k → main).
/// </summary>
public static class DichotomyVerdicts
{
    /// <summary>Generation scores at or below this ROUGE-L count as the floor (the paper's base models: XSum
    /// .019–.119, SocialIQa-QG .018–.101).</summary>
    public const double GenerationFloor = 0.25;

    /// <summary>Classification accuracy within this margin of chance counts as chance (the paper: MNLI .327–.354 for
    /// chance .333, PAWS .476–.558 for chance .5 with a .558 majority class).</summary>
    public const double ChanceMargin = 0.10;

    /// <summary>"Flat": the 95% CI of last − first lies within ±0.10. The paper's flat base curves move last − first
    /// by at most .051 (SocialIQa-QG .018 → .069) but between checkpoints by up to .10 (XSum .119 at 18k, .019 at
    /// 424k; PAWS .558 → .476; SocialIQa-QG .018 → .101), and the band stays below the paper's smallest fine-tuning
    /// gain (XSum .112 at main). It also has to be resolvable at the tiny scale: a base classifier at chance that
    /// switches its one favoured label between checkpoints (MNLI .3325 → .335 is all-neutral or all-contradiction
    /// → all-entailment) has a paired last − first interval of about ±0.08 at 400 items, which ±0.06 could never
    /// show flat.</summary>
    public const double FlatBand = 0.10;

    /// <summary>A fine-tuning task's base-model curve and the level it must stay under (chance + margin, or the floor);
    /// for a classification task, <paramref name="BalancedChange"/> is its balanced accuracy's last − first, which its
    /// flatness is judged on (<see cref="Discrimination.Change"/>).</summary>
    public sealed record BaseTask(ItemCurve Curve, string Metric, double Limit, Estimate? BalancedChange = null);

    /// <summary>The flatness clause of a base curve: last − first within ±<see cref="FlatBand"/> with 95% confidence, in
    /// balanced accuracy where there is one (classification), else in the curve's own metric.</summary>
    public static Clause BaseFlat(string name, ItemCurve curve, Estimate? balancedChange)
    {
        var trend = curve.Trend();
        return balancedChange is { } change
            ? Clause.Judge($"{name}: base flat", Statistics.Within(change, FlatBand),
                $"{curve.Describe("0.000")}; balanced accuracy last − first = {Fmt(change)} (within ±{FlatBand}?); accuracy last − first = {Fmt(trend.LastMinusFirst)}; ρ = {Signed(trend.Rho, 2)}")
            : Clause.Judge($"{name}: base flat", trend.FlatWithin(FlatBand),
                $"{curve.Describe("0.000")}; last − first = {Fmt(trend.LastMinusFirst)} (within ±{FlatBand}?); ρ = {Signed(trend.Rho, 2)}");
    }

    public static double LimitFor(bool isGeneration, int labels) => isGeneration ? GenerationFloor : 1.0 / labels + ChanceMargin;

    /// <summary>Pooled over all suite items, last − first is positive with 95% confidence, and more than half the
    /// suites rise on their own (ρ &gt; 0 and last − first &gt; 0 with 95% confidence).</summary>
    public static Verdict LearnedSuitesRise(IReadOnlyList<ItemCurve> suites)
    {
        if (suites.Count == 0) throw new ArgumentException("no learned suites to judge");
        const string Claim = "the learned-in-pre-training suites rise with pre-training";
        if (suites.Any(s => s.Steps.Count < 2))
            return new Verdict("learned_suites_rise", Claim, [Clause.Untestable("suites rise", "a trend needs at least two checkpoints")], []);
        var context = new List<string>();
        int rising = 0;
        foreach (var suite in suites)
        {
            var trend = suite.Trend();
            if (trend.Rises) rising++;
            context.Add($"{suite.Name}: acc {suite.Describe("0.00")}; Spearman ρ = {Signed(trend.Rho, 2)}; last − first = {Fmt(trend.LastMinusFirst)}");
        }
        // Pooled over all suite items: each suite weighs by its item count.
        double total = suites.Sum(s => s.Cells[0].ItemCount);
        var overall = HierarchicalBootstrap.Linear(suites.SelectMany(s => new[]
        {
            new Term(s.Cells[^1].ItemCount / total, s.Cells[^1]), new Term(-s.Cells[0].ItemCount / total, s.Cells[0]),
        }).ToList());
        return new Verdict("learned_suites_rise", Claim,
        [
            Clause.Judge("pooled last − first > 0", overall.IsPositive, $"all suites pooled: last − first = {Fmt(overall)}"),
            Clause.Judge("most suites rise", rising * 2 > suites.Count, $"suites rising (ρ > 0 and last − first > 0 with 95% confidence): {rising} of {suites.Count}"),
        ], context);
    }

    /// <summary>Every task's base curve stays at or under its level at every checkpoint, and is flat: last − first
    /// within ±<see cref="FlatBand"/> with 95% confidence. A curve that climbs from .000 to .131 under a .25 floor
    /// passes the level and fails the flatness, as it should.</summary>
    public static Verdict FineTuneTasksStayFlat(IReadOnlyList<BaseTask> tasks)
    {
        if (tasks.Count == 0) throw new ArgumentException("no fine-tuning tasks to judge");
        var clauses = new List<Clause>();
        foreach (var t in tasks)
        {
            string name = t.Curve.Name;
            bool level = t.Curve.Means.All(m => m <= t.Limit);
            clauses.Add(Clause.Judge($"{name}: base at chance or floor", level, $"{t.Metric} {t.Curve.Describe("0.000")}; every checkpoint ≤ {t.Limit:0.00}: {(level ? "yes" : "exceeded")}"));
            if (t.Curve.Steps.Count < 2) { clauses.Add(Clause.Untestable($"{name}: base flat", "a trend needs at least two checkpoints")); continue; }
            clauses.Add(BaseFlat(name, t.Curve, t.BalancedChange));
        }
        return new Verdict("fine_tuning_tasks_stay_flat", $"the fine-tuning tasks stay flat (last − first within ±{FlatBand}) at chance / floor for the base model", clauses, []);
    }
}
