using System.Globalization;
using AmuroChar.Tasks;
using Xunit;

namespace AmuroChar.Tests.World;

public class LabelBalanceTests
{
    /// <summary>Every classification dataset at the sizes the tiny scale uses.</summary>
    public static TheoryData<string> ClassificationSets()
    {
        var data = new TheoryData<string>();
        foreach (var d in WorldFixtures.TinyDatasets.All.Where(d => d.Task.Kind == TaskKind.Classification && d.Split != "fewshot"))
            data.Add(d.Key);
        return data;
    }

    [Fact]
    public void Every_classification_dataset_is_checked()
    {
        string[] expected = ["gpt3nli/test", "mnli/train", "mnli_matched/validation", "mnli_mismatched/validation", "paws/test", "paws/train", "qqp/test", "rte/test", "stsb/test"];
        Assert.Equal(expected, ClassificationSets().Select(row => row.Data).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ClassificationSets))]
    public void Labels_are_within_three_points_of_uniform(string key)
    {
        var d = WorldFixtures.TinyDatasets.Resolve(key);
        // RTE is two-way (not_entailment → neutral), so it uses two of the three NLI labels.
        var labels = d.Name == "rte" ? ["entailment", "neutral"] : d.Task.Labels;
        Assert.All(d.Examples, e => Assert.Contains(e.Target, labels));
        foreach (var label in labels)
        {
            double share = d.Examples.Count(e => e.Target == label) / (double)d.Count;
            Assert.True(Math.Abs(share - 1.0 / labels.Count) <= 0.03, $"{key}: '{label}' has share {share:0.000} of {d.Count} items");
        }
    }

    [Fact]
    public void Stsb_is_yes_exactly_when_its_score_is_above_three_and_a_half()
    {
        var d = WorldFixtures.TinyDatasets.Get("stsb", "test");
        Assert.All(d.Examples, e =>
        {
            double score = double.Parse(e["score"], CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 5);
            Assert.Equal(score > 3.5 ? "yes" : "no", e.Target);
        });
    }

    [Fact]
    public void Multiple_choice_items_have_their_gold_answer_among_distinct_choices()
    {
        foreach (var d in WorldFixtures.Datasets.All.Where(d => d.Task.Kind == TaskKind.MultipleChoice))
            Assert.All(d.Examples, e =>
            {
                Assert.NotNull(e.Choices);
                Assert.Equal(e.Choices.Count, e.Choices.Distinct().Count());
                Assert.InRange(e.Gold, 0, e.Choices.Count - 1);
                Assert.Equal(e.Target, e.Choices[e.Gold]);
            });
    }
}
