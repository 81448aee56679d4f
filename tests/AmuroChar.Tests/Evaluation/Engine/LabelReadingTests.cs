using AmuroChar.Evaluation;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Evaluation.Engine;

/// <summary>
/// The authors' label reading (<c>strip_labels</c> in their <c>eval/eval_pred.py</c>, issue 19) beside ours. The
/// expected values are what their function returns for these strings, worked by hand from its substring order.
/// </summary>
public class LabelReadingTests
{
    static readonly string[] Nli = ["entailment", "neutral", "contradiction"];
    static readonly string[] Paraphrase = ["yes", "no"];

    [Theory]
    // Paraphrase: "no" anywhere wins, before "yes".
    [InlineData("yes", "yes", "yes")]
    [InlineData(" no", "no", "no")]
    [InlineData("yes, I do not think so", "no", "yes")]
    [InlineData("I know yes", "no", "(none)")]
    [InlineData("none", "no", "(none)")]
    [InlineData("Yes", "(none)", "yes")]            // case-sensitive substring; our first word ignores case
    [InlineData("maybe", "(none)", "(none)")]
    public void Paraphrase_outputs_are_read_as_strip_labels_reads_them(string output, string authors, string firstWord)
    {
        Assert.Equal(authors, LabelReading.Authors(output, Paraphrase));
        Assert.Equal(firstWord, LabelReading.FirstWord(output, Paraphrase));
    }

    [Theory]
    // NLI: contradiction, then neutral, then entailment, each as a substring.
    [InlineData("entailment", "entailment", "entailment")]
    [InlineData("entailment or neutral", "neutral", "entailment")]
    [InlineData("neutral, not a contradiction", "contradiction", "neutral")]
    [InlineData("contradictions", "contradiction", "(none)")]
    [InlineData("Neutral.", "(none)", "neutral")]
    public void Nli_outputs_are_read_as_strip_labels_reads_them(string output, string authors, string firstWord)
    {
        Assert.Equal(authors, LabelReading.Authors(output, Nli));
        Assert.Equal(firstWord, LabelReading.FirstWord(output, Nli));
    }

    [Fact]
    public void Every_single_label_word_reads_as_itself_under_both_readings()
    {
        foreach (var labels in new[] { Nli, Paraphrase })
            foreach (string label in labels)
            {
                Assert.Equal(label, LabelReading.Authors(label, labels));
                Assert.Equal(label, LabelReading.FirstWord(label, labels));
            }
    }

    [Fact]
    public void Under_the_authors_protocol_generated_labels_are_scored_by_their_reading_with_ours_beside()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var evaluator = new Evaluator(model, MicroFixtures.Tokenizer);
        var data = MicroFixtures.Nli(10);
        var authors = evaluator.Evaluate(data, null, new EvalSpec("default", Methods.Generate, 2, Protocol: EvalProtocol.Authors));
        Assert.Contains("acc_first_word", authors.Metrics.Keys);
        Assert.Equal(authors.Items.Average(i => i.Prediction == i.Reference ? 1.0 : 0.0), authors.Metrics["acc"].Mean, 12);
        var likeForLike = evaluator.Evaluate(data, MicroFixtures.Nli(8, "fewshot"), new EvalSpec("default", Methods.Generate, 2));
        Assert.DoesNotContain("acc_first_word", likeForLike.Metrics.Keys);
    }
}
