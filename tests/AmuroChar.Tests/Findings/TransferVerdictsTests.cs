using AmuroChar.Findings;
using Xunit;
using static AmuroChar.Tests.Findings.Synthetic;

namespace AmuroChar.Tests.Findings;

public class TransferVerdictsTests
{
    static TransferVerdicts.Change Change(string trained, string evaluated, double[] means, int n = 160, double spread = 0.1, ulong seed = 1, bool atChance = false) =>
        new(trained, evaluated, "rougeL", Rouge($"{trained}->{evaluated}", means, n: n, spread: spread, seed: seed), atChance ? AtChance() : Discriminating());

    [Fact]
    public void A_consistent_drop_lowers_generation_and_no_drop_does_not()
    {
        var drop = new[] { Change("mnli", "xsum", [-0.04, -0.05, -0.04, -0.05]), Change("paws", "socialiqa", [-0.03, -0.04, -0.05, -0.04], seed: 2) };
        Assert.True(TransferVerdicts.ClassificationHurtsGeneration(drop).Holds);
        var none = new[] { Change("mnli", "xsum", [0.0, 0.0, 0.0, 0.0]), Change("paws", "socialiqa", [0.01, -0.01, 0.0, 0.0], seed: 2) };
        Assert.False(TransferVerdicts.ClassificationHurtsGeneration(none).Holds);
    }

    [Fact]
    public void About_unchanged_needs_the_whole_interval_within_the_band()
    {
        var flat = new[] { Change("xsum", "mnli_matched", [0.01, 0.02, 0.0, 0.01]), Change("socialiqa", "paws", [0.0, -0.01, 0.02, 0.0], seed: 2) };
        Assert.True(TransferVerdicts.GenerationLeavesClassification(flat).Holds);
        var rising = new[] { Change("xsum", "mnli_matched", [0.10, 0.12, 0.10, 0.11]), Change("socialiqa", "paws", [0.08, 0.09, 0.10, 0.10], seed: 2) };
        Assert.False(TransferVerdicts.GenerationLeavesClassification(rising).Holds);
    }

    [Fact]
    public void Changes_that_cancel_in_the_pool_fail_on_the_cell_that_moved()
    {
        // +0.15 on one set and −0.15 on the other: the pool is 0, well within ±0.05, but each cell moved far.
        var cancel = new[] { Change("xsum", "mnli_matched", [0.15, 0.15, 0.15, 0.15], n: 400), Change("socialiqa", "paws", [-0.15, -0.15, -0.15, -0.15], n: 400, seed: 2) };
        var v = TransferVerdicts.GenerationLeavesClassification(cancel);
        Assert.False(v.Holds, v.Explain());
        Assert.Equal(["no cell beyond ±0.05"], v.Failing);
        Assert.Contains(v.Clauses, c => c.Name == "pooled change within ±0.05" && c.Outcome == ClauseOutcome.Holds);
    }

    [Fact]
    public void Cells_whose_base_is_at_chance_are_listed_not_counted_and_none_left_is_not_testable()
    {
        // The moved cell's base model was at chance: it is left out (and named), the rest hold.
        var mixed = new[] { Change("xsum", "mnli_matched", [0.01, 0.0, 0.01, 0.0]), Change("socialiqa", "paws", [0.3, 0.3, 0.3, 0.3], seed: 2, atChance: true) };
        var v = TransferVerdicts.GenerationLeavesClassification(mixed);
        Assert.True(v.Holds, v.Explain());
        Assert.Contains(v.Context, l => l.Contains("left out") && l.Contains("socialiqa → paws step 50"));
        var none = new[] { Change("xsum", "mnli_matched", [0.0, 0.0, 0.0, 0.0], atChance: true) };
        var untestable = TransferVerdicts.GenerationLeavesClassification(none);
        Assert.False(untestable.Testable);
        Assert.Equal(2, untestable.Untestable.Count);
        // And an "unchanged" claim refuses changes without the base model's discrimination.
        Assert.Throws<ArgumentException>(() => TransferVerdicts.GenerationLeavesClassification([Change("xsum", "paws", [0, 0, 0, 0]) with { Base = null }]));
    }

    [Fact]
    public void A_noisy_change_cannot_be_shown_unchanged()
    {
        // Four items with a wide spread, the same items scored at every checkpoint: a zero mean, but the interval
        // reaches past ±0.05 however many checkpoints reuse those four items (they are resampled once for all cells).
        var items = Continuous(4, 0.0, 1.0, 1);
        var noisy = new[] { new TransferVerdicts.Change("xsum", "mnli_matched", "acc", new ItemCurve("mnli_matched", Steps, Steps.Select(_ => (IReadOnlyList<double>)items).ToList()), Discriminating()) };
        var v = TransferVerdicts.GenerationLeavesClassification(noisy);
        Assert.False(v.Holds, v.Explain());
    }

    [Fact]
    public void Degenerate_input_is_refused_and_forgetting_needs_a_resolved_drop()
    {
        Assert.Throws<ArgumentException>(() => TransferVerdicts.ClassificationHurtsGeneration([]));
        var b = Rouge("sciq_qg", [0.30, 0.32, 0.33, 0.34], seed: 7);
        Assert.True(TransferVerdicts.ForgetsScienceQuestions(new(Shifted(b, [-0.1, -0.2, -0.3, -0.3]), b)).Holds);
        Assert.False(TransferVerdicts.ForgetsScienceQuestions(new(Shifted(b, [-0.1, -0.2, -0.3, 0.0]), b)).Holds);
    }
}
