using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

public class DiscriminationTests
{
    static readonly string[] Gold = [.. Enumerable.Repeat("yes", 70), .. Enumerable.Repeat("no", 30)];

    [Fact]
    public void A_model_answering_one_label_scores_exactly_chance_whatever_the_label_mix()
    {
        // "yes" for everything: 70% accuracy on this 70/30 set, but balanced accuracy (1 + 0) / 2 = .5, interval too.
        var d = Discrimination.Of(Gold.Select(g => g == "yes").ToList(), Gold, 0.5, "always-yes");
        Assert.Equal(0.5, d.BalancedAccuracy.Mean, 12);
        Assert.Equal(0.5, d.BalancedAccuracy.Lo, 12);
        Assert.False(d.AboveChance);
    }

    [Fact]
    public void A_model_right_on_most_items_of_every_class_is_above_chance_and_it_is_deterministic()
    {
        var right = Gold.Select((_, i) => i % 5 != 0).ToList();   // 80% right in both classes
        var d = Discrimination.Of(right, Gold, 0.5, "good");
        Assert.True(d.AboveChance, d.Describe());
        Assert.Equal(0.8, d.BalancedAccuracy.Mean, 2);
        Assert.Equal(d, Discrimination.Of(right, Gold, 0.5, "good"));
        Assert.Throws<ArgumentException>(() => Discrimination.Of([true], Gold, 0.5, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Discrimination.Of(right, Gold, 1.0, "x"));
    }

    [Fact]
    public void Distinct_answers_reduce_to_plain_accuracy()
    {
        // Four-way questions whose answers are all different: every item its own class, so balanced = plain accuracy.
        var gold = Enumerable.Range(0, 200).Select(i => $"answer {i}").ToList();
        var right = gold.Select((_, i) => i % 4 == 0).ToList();
        var d = Discrimination.Of(right, gold, 0.25, "mc");
        Assert.Equal(0.25, d.BalancedAccuracy.Mean, 12);
        Assert.False(d.AboveChance);
    }

    [Fact]
    public void Two_constant_models_change_by_exactly_zero_whichever_labels_they_answer()
    {
        // "yes" everywhere at the first checkpoint, "no" everywhere at the last: plain accuracy's paired interval is
        // wide (each item moves by ±1), balanced accuracy is .5 in every resample, so the change is 0 with [0, 0].
        var yes = Gold.Select(g => g == "yes").ToList();
        var no = Gold.Select(g => g == "no").ToList();
        var change = Discrimination.Change(yes, no, Gold, "flip");
        Assert.Equal((0.0, 0.0, 0.0), (change.Mean, change.Lo, change.Hi));
        Assert.Equal(Gold.Length, change.N);
    }

    [Fact]
    public void A_model_that_learns_changes_by_its_balanced_accuracy_gain_and_the_interval_is_paired()
    {
        var constant = Gold.Select(g => g == "yes").ToList();                // balanced .5
        var learned = Gold.Select((_, i) => i % 5 != 0).ToList();            // 80% in both classes: balanced .8
        var change = Discrimination.Change(constant, learned, Gold, "learn");
        Assert.Equal(0.3, change.Mean, 2);
        Assert.True(change.Lo > 0.15 && change.Hi < 0.45, $"[{change.Lo}, {change.Hi}]");
        Assert.Equal(change, Discrimination.Change(constant, learned, Gold, "learn"));
        Assert.Throws<ArgumentException>(() => Discrimination.Change([true], learned, Gold, "x"));
    }
}
