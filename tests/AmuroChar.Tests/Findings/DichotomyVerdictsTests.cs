using AmuroChar.Findings;
using Xunit;
using static AmuroChar.Tests.Findings.Synthetic;

namespace AmuroChar.Tests.Findings;

public class DichotomyVerdictsTests
{
    static readonly string[] Suites = ["arc_easy", "arc_challenge", "sciq", "hellaswag", "openbookqa", "boolq"];
    static readonly int[] BaseSteps = [0, 50, 150, 350, 700];

    static List<ItemCurve> SuitesWith(Func<int, double[]> means) =>
        Suites.Select((s, k) => Accuracy(s, means(k), n: 300, seed: (ulong)k + 1, steps: BaseSteps)).ToList();

    [Fact]
    public void Rising_suites_hold()
    {
        var v = DichotomyVerdicts.LearnedSuitesRise(SuitesWith(_ => [0.25, 0.30, 0.40, 0.55, 0.70]));
        Assert.True(v.Holds, v.Explain());
    }

    [Fact]
    public void Flat_suites_do_not_rise()
    {
        var v = DichotomyVerdicts.LearnedSuitesRise(SuitesWith(_ => [0.30, 0.30, 0.30, 0.30, 0.30]));
        Assert.False(v.Holds, v.Explain());
    }

    [Fact]
    public void A_noisy_small_rise_is_not_resolved()
    {
        var noisy = Suites.Select((s, k) => Accuracy(s, [0.30, 0.36, 0.28, 0.35, 0.34], n: 30, seed: (ulong)k + 1, steps: BaseSteps)).ToList();
        Assert.False(DichotomyVerdicts.LearnedSuitesRise(noisy).Holds);
    }

    [Fact]
    public void A_pooled_rise_carried_by_two_suites_is_not_enough()
    {
        var v = DichotomyVerdicts.LearnedSuitesRise(SuitesWith(k => k < 2 ? [0.2, 0.4, 0.6, 0.8, 0.99] : [0.3, 0.3, 0.3, 0.3, 0.3]));
        Assert.False(v.Holds, v.Explain());
        Assert.Equal(["most suites rise"], v.Failing);
        Assert.Contains("2 of 6", v.Clauses[1].Evidence);
    }

    [Fact]
    public void Degenerate_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DichotomyVerdicts.LearnedSuitesRise([]));
        Assert.Throws<ArgumentException>(() => DichotomyVerdicts.FineTuneTasksStayFlat([]));
        Assert.Throws<ArgumentException>(() => new ItemCurve("x", [1, 2], [[1.0, 0.0], [1.0]]));   // unpaired items
        Assert.Throws<ArgumentException>(() => new ItemCurve("x", [1, 2], [[1.0]]));               // a step without items
    }

    [Fact]
    public void A_base_that_switches_its_one_label_is_flat_in_balanced_accuracy_not_in_accuracy()
    {
        // PAWS-like, 400 balanced items: "yes" everywhere at the first checkpoint, "no" everywhere at the last. Accuracy
        // .5 → .5, but each item moves by ±1, so its paired interval (≈ ±0.1) can't lie within the band; balanced
        // accuracy is .5 in every resample.
        var gold = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? "yes" : "no").ToList();
        var first = gold.Select(g => g == "yes").ToList();
        var last = gold.Select(g => g == "no").ToList();
        var curve = new ItemCurve("paws", [100, 2000], [first.Select(r => r ? 1.0 : 0.0).ToList(), last.Select(r => r ? 1.0 : 0.0).ToList()]);
        var accuracyOnly = DichotomyVerdicts.BaseFlat("paws", curve, null);
        var balanced = DichotomyVerdicts.BaseFlat("paws", curve, Discrimination.Change(first, last, gold, "paws"));
        Assert.Equal(ClauseOutcome.Fails, accuracyOnly.Outcome);
        Assert.Equal(ClauseOutcome.Holds, balanced.Outcome);
        Assert.Contains("balanced accuracy last − first = 0.000 [0.000, 0.000]", balanced.Evidence);
    }

    static DichotomyVerdicts.BaseTask Task(ItemCurve c, bool generation, int labels = 3) =>
        new(c, generation ? "rougeL" : "acc", DichotomyVerdicts.LimitFor(generation, labels));

    [Fact]
    public void Flat_tasks_at_chance_and_floor_hold()
    {
        var v = DichotomyVerdicts.FineTuneTasksStayFlat(
        [
            Task(Constant("mnli_matched", 1.0 / 3, steps: BaseSteps), generation: false),
            Task(Accuracy("paws", [0.50, 0.50, 0.48, 0.50, 0.51], stable: true, steps: BaseSteps), generation: false, labels: 2),
            Task(Rouge("xsum", [0.05, 0.06, 0.05, 0.06, 0.05], steps: BaseSteps), generation: true),
            Task(Rouge("socialiqa", [0.02, 0.04, 0.03, 0.05, 0.04], steps: BaseSteps), generation: true),
        ]);
        Assert.True(v.Holds, v.Explain());
    }

    [Fact]
    public void A_curve_that_climbs_under_the_floor_is_not_flat()
    {
        // The referee's case: tiny XSum base .000 → .015 → .044 → .068 → .131, under the .25 floor, ρ = +1.
        var xsum = Rouge("xsum", [0.000001, 0.015, 0.044, 0.068, 0.131], spread: 0.05, steps: BaseSteps);
        var v = DichotomyVerdicts.FineTuneTasksStayFlat([Task(xsum, generation: true)]);
        Assert.False(v.Holds, v.Explain());
        Assert.Equal(["xsum: base flat"], v.Failing);   // under the floor, and not flat
    }

    [Fact]
    public void A_flat_curve_above_chance_fails_the_level()
    {
        var v = DichotomyVerdicts.FineTuneTasksStayFlat([Task(Accuracy("mnli_matched", [0.6, 0.6, 0.6, 0.6, 0.6], stable: true, steps: BaseSteps), generation: false)]);
        Assert.False(v.Holds, v.Explain());
    }

    [Fact]
    public void A_base_model_that_switches_its_one_label_is_still_flat()
    {
        // Tiny MNLI's base: all one label (.3325 = 133 of 400) at the start, all another (.335 = 134) at the end.
        // Every item flips between right and wrong or stays wrong, the widest paired interval a constant model gives.
        static double[] RightOn(int from, int count) => Enumerable.Range(0, 400).Select(i => i >= from && i < from + count ? 1.0 : 0.0).ToArray();
        var mnli = new ItemCurve("mnli_matched", BaseSteps, [RightOn(134, 133), RightOn(134, 133), RightOn(0, 134), RightOn(0, 134), RightOn(0, 134)]);
        var v = DichotomyVerdicts.FineTuneTasksStayFlat([Task(mnli, generation: false)]);
        Assert.True(v.Holds, v.Explain());
        Assert.True(mnli.Trend().LastMinusFirst.Hi - mnli.Trend().LastMinusFirst.Lo > 0.12);   // wider than a ±0.06 band could hold
    }

    [Fact]
    public void A_noisy_curve_cannot_be_shown_flat()
    {
        // 40 items whose answers change between checkpoints: last − first's interval is far wider than the flat band.
        var v = DichotomyVerdicts.FineTuneTasksStayFlat([Task(Accuracy("paws", [0.5, 0.5, 0.5, 0.5, 0.5], n: 40, steps: BaseSteps), generation: false, labels: 2)]);
        Assert.False(v.Holds, v.Explain());
    }
}
