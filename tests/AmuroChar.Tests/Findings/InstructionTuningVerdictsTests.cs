using AmuroChar.Findings;
using Xunit;
using static AmuroChar.Tests.Findings.Synthetic;

namespace AmuroChar.Tests.Findings;

public class InstructionTuningVerdictsTests
{
    static List<InstructionTuningVerdicts.Suite> Suites(double[] change, int n = 300) =>
        Enumerable.Range(0, 6).Select(k =>
        {
            var b = Accuracy($"suite{k}", [0.3, 0.4, 0.5, 0.6], n: n, seed: 10 + (ulong)k);
            return Gated(new PairedCurve(Accuracy($"suite{k}", [0.3 + change[0], 0.4 + change[1], 0.5 + change[2], 0.6 + change[3]], n: n, seed: 100 + (ulong)k), b));   // answers redrawn: an honest paired variance
        }).ToList();

    static InstructionTuningVerdicts.Suite Gated(PairedCurve curve, bool atChance = false) => new(curve, atChance ? AtChance() : Discriminating());

    /// <summary>Six suites whose tuned model answers exactly as the base does.</summary>
    static List<InstructionTuningVerdicts.Suite> Steady() =>
        Enumerable.Range(0, 6).Select(k => { var b = Accuracy($"s{k}", [0.3, 0.4, 0.5, 0.6], n: 300, seed: 20 + (ulong)k); return Gated(new PairedCurve(b, b)); }).ToList();

    static PairedCurve Control(double[] gains)
    {
        var b = Rouge("tulu/test", [0.10, 0.12, 0.12, 0.13], n: 120, seed: 3);
        return new(Shifted(b, gains), b);
    }

    [Fact]
    public void Little_change_on_the_suites_with_an_effective_tuning_holds()
    {
        // Same items right before and after (the tuning changes no answers) and a .3 gain on held-out instructions.
        var suites = Steady();
        var v = InstructionTuningVerdicts.ChangesLearnedSuitesLittle(suites, Control([0.3, 0.3, 0.3, 0.3]));
        Assert.True(v.Holds, v.Explain());
    }

    [Fact]
    public void An_instruction_tuning_that_did_nothing_fails_the_positive_control()
    {
        var suites = Steady();
        var v = InstructionTuningVerdicts.ChangesLearnedSuitesLittle(suites, Control([0, 0, 0, 0]));
        Assert.False(v.Holds, v.Explain());
        // Every checkpoint's control fails, and only the control: "little" alone would have passed.
        Assert.All(v.Clauses, c => Assert.Equal(c.Name.EndsWith("control effective") ? ClauseOutcome.Fails : ClauseOutcome.Holds, c.Outcome));
    }

    [Fact]
    public void A_large_change_on_the_suites_fails_even_with_an_effective_tuning()
    {
        Assert.False(InstructionTuningVerdicts.ChangesLearnedSuitesLittle(Suites([0.0, 0.0, 0.1, 0.1]), Control([0.3, 0.3, 0.3, 0.3])).Holds);
    }

    [Fact]
    public void Noisy_suites_and_a_control_effective_at_only_some_checkpoints_fail()
    {
        // 40 items per suite whose answers are redrawn: the mean change is 0 but its interval exceeds ±0.05.
        var suites = Suites([0, 0, 0, 0], n: 40);
        Assert.False(InstructionTuningVerdicts.ChangesLearnedSuitesLittle(suites, Control([0.3, 0.3, 0.3, 0.3])).Holds);
        var steady = Steady();
        Assert.False(InstructionTuningVerdicts.ChangesLearnedSuitesLittle(steady, Control([0.02, 0.3, 0.3, 0.3])).Holds);
        Assert.Throws<ArgumentException>(() => InstructionTuningVerdicts.ChangesLearnedSuitesLittle([], Control([0.3, 0.3, 0.3, 0.3])));
    }

    [Fact]
    public void One_suite_that_moves_far_fails_though_the_pool_is_little_and_suites_at_chance_are_left_out()
    {
        // Suite 0 gains .15 at every step, the other five stay: the pooled change (.025) is little, suite 0 is not.
        var suites = Steady();
        var moved = suites[0].Curve.Base;
        suites[0] = Gated(new PairedCurve(Shifted(moved, [0.15, 0.15, 0.15, 0.15]), moved));
        var v = InstructionTuningVerdicts.ChangesLearnedSuitesLittle(suites, Control([0.3, 0.3, 0.3, 0.3]));
        Assert.Equal(Synthetic.Steps.Select(s => $"step {s}: no suite beyond ±0.05"), v.Failing);
        // The same move on a suite whose base model sits at chance is named and not counted.
        suites[0] = Gated(suites[0].Curve, atChance: true);
        var gated = InstructionTuningVerdicts.ChangesLearnedSuitesLittle(suites, Control([0.3, 0.3, 0.3, 0.3]));
        Assert.True(gated.Holds, gated.Explain());
        Assert.Contains(gated.Context, l => l.StartsWith("step 50: left out") && l.Contains("s0"));
        // Every suite at chance: nothing can show a change, so "little" is not testable, not true.
        var none = Steady().Select(s => Gated(s.Curve, atChance: true)).ToList();
        var untestable = InstructionTuningVerdicts.ChangesLearnedSuitesLittle(none, Control([0.3, 0.3, 0.3, 0.3]));
        Assert.False(untestable.Testable);
    }
}
