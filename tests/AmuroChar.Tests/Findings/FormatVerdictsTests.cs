using AmuroChar.Findings;
using Xunit;
using static AmuroChar.Tests.Findings.Synthetic;
using F = AmuroChar.Findings.FormatVerdicts;

namespace AmuroChar.Tests.Findings;

public class FormatVerdictsTests
{
    static readonly double[] Discriminating = [0.6, 0.6, 0.6, 0.6];

    static F.FormatScores Scores(string task, string format, double[] means, double[]? topShare = null, ulong seed = 1) =>
        new(format, Accuracy($"{task}/{format}", means, seed: seed), topShare ?? Discriminating);

    static F.FormatTask Task(string task, double[] def, double[] instruct, double[] inputoutput, double[]? instructShare = null, double[]? ioShare = null, ulong seed = 1) =>
        new(task, Scores(task, "default", def, seed: seed), [Scores(task, "instruct", instruct, instructShare, seed + 10), Scores(task, "inputoutput", inputoutput, ioShare, seed + 20)]);

    [Fact]
    public void A_shrinking_gap_holds()
    {
        // The paper: mean gap .19 at 18k → .06 at main.
        var tasks = new[]
        {
            Task("mnli_matched", [0.55, 0.70, 0.78, 0.80], [0.37, 0.60, 0.72, 0.74], [0.36, 0.55, 0.70, 0.72]),
            Task("paws", [0.80, 0.84, 0.86, 0.88], [0.60, 0.75, 0.82, 0.82], [0.63, 0.74, 0.83, 0.83], seed: 2),
        };
        var v = F.GapShrinks(tasks);
        Assert.True(v.Holds, v.Explain());
        Assert.True(F.Sensitive(tasks).Holds);
    }

    [Fact]
    public void A_shrink_that_hinges_on_a_constant_checkpoint_does_not_hold()
    {
        // Seed 1's shape: at step 50 the other formats predict one label (MNLI .3325 in both), a large gap; after
        // that the gap grows .02 → .08 → .07. Left out, step 50 no longer carries a "shrink".
        double[] constantFirst = [1.0, 0.6, 0.6, 0.6];
        var tasks = new[]
        {
            Task("mnli_matched", [0.58, 0.56, 0.55, 0.83], [0.3325, 0.575, 0.5575, 0.71], [0.3325, 0.5475, 0.4675, 0.68], constantFirst, constantFirst),
            Task("paws", [0.69, 0.74, 0.74, 0.74], [0.44, 0.725, 0.5, 0.735], [0.5, 0.6675, 0.7275, 0.74], ioShare: constantFirst, seed: 2),
        };
        var v = F.GapShrinks(tasks);
        Assert.False(v.Holds, v.Explain());
        Assert.Contains(v.Evidence, e => e.StartsWith("step 50 left out of the trend") && e.Contains("mnli_matched/instruct"));
        // With the constant checkpoint counted the old rule (ρ < 0) would have seen a shrink: the peak is step 50.
        var means = Enumerable.Range(0, 4).Select(i => tasks.SelectMany(t => t.Others.Select(f => t.Gap(f, i).Mean)).Average()).ToList();
        Assert.Equal(0, Statistics.Peak(means));
    }

    [Fact]
    public void A_growing_or_noisy_gap_does_not_shrink()
    {
        var growing = new[] { Task("mnli_matched", [0.6, 0.7, 0.8, 0.9], [0.58, 0.6, 0.6, 0.6], [0.58, 0.6, 0.6, 0.6]) };
        Assert.False(F.GapShrinks(growing).Holds);
        var noisy = new[]
        {
            new F.FormatTask("paws", new("default", Accuracy("paws", [0.6, 0.6, 0.6, 0.6], n: 30), Discriminating),
                [new("instruct", Accuracy("paws/i", [0.55, 0.55, 0.55, 0.52], n: 30, seed: 5), Discriminating)]),
        };
        Assert.False(F.GapShrinks(noisy).Holds);
    }

    [Fact]
    public void Too_few_discriminating_checkpoints_cannot_show_a_trend()
    {
        double[] constantButLast = [1.0, 0.97, 0.96, 0.6];
        var tasks = new[] { Task("paws", [0.6, 0.7, 0.8, 0.9], [0.5, 0.5, 0.5, 0.85], [0.5, 0.5, 0.5, 0.85], constantButLast) };
        var v = F.GapShrinks(tasks);
        Assert.False(v.Holds);
        Assert.False(v.Testable);   // not "the gap does not shrink": the data cannot say
        Assert.Equal(AmuroChar.Findings.Standing.NotTestable, AmuroChar.Findings.KnownGaps.Judge(v, "tiny", 1));
        Assert.Contains("only 1 checkpoint(s)", v.Evidence[0]);
        Assert.Throws<ArgumentException>(() => F.GapShrinks([]));
        Assert.Throws<ArgumentException>(() => F.Sensitive([new F.FormatTask("paws", Scores("paws", "default", Discriminating), [new("instruct", Accuracy("p", [0.5, 0.5], steps: [1, 2]), [0.5, 0.5])])]));
    }

    [Fact]
    public void No_gap_at_the_last_checkpoint_is_not_sensitivity()
    {
        var same = new[] { Task("paws", [0.7, 0.7, 0.7, 0.74], [0.6, 0.6, 0.6, 0.74], [0.6, 0.6, 0.6, 0.74]) };
        Assert.False(F.Sensitive(same).Holds);
    }
}
