using System.Text.Json;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Evaluation;

public class RougeLTests
{
    static void AssertScore(RougeScore s, double p, double r, double f)
    {
        Assert.Equal(p, s.Precision, 12);
        Assert.Equal(r, s.Recall, 12);
        Assert.Equal(f, s.F, 12);
    }

    [Fact]
    public void Identical_texts_score_one() =>
        AssertScore(RougeL.Score("The cat sat.", "the cat sat", stem: false), 1, 1, 1);

    [Fact]
    public void Precision_is_over_the_prediction_and_recall_over_the_reference()
    {
        // pred [police killed the gunman], ref [the gunman was killed by police]: LCS "the gunman" = 2.
        AssertScore(RougeL.Score("police killed the gunman", "the gunman was killed by police", stem: false),
            2.0 / 4, 2.0 / 6, 0.4);
    }

    [Fact]
    public void Uses_the_longest_common_subsequence_not_substring()
    {
        // Common subsequence a b c (3); the longest common substring is a single word.
        AssertScore(RougeL.Score("a x b y c", "a b c", stem: false), 3.0 / 5, 1, 0.75);
        Assert.Equal(3, RougeL.LcsLength(["a", "x", "b", "y", "c"], ["a", "b", "c"]));
    }

    [Fact]
    public void Word_order_matters()
    {
        // [a b c d e f] vs its reverse: any common subsequence has one element.
        AssertScore(RougeL.Score("A B C D E F", "F E D C B A", stem: false), 1.0 / 6, 1.0 / 6, 1.0 / 6);
    }

    [Fact]
    public void Stemming_conflates_inflections_of_words_longer_than_three_letters()
    {
        // Unstemmed only "the" matches: P 1/4, R 1/3, F 2/7.
        AssertScore(RougeL.Score("The cats were running", "the cat runs", stem: false), 1.0 / 4, 1.0 / 3, 2.0 / 7);
        // Stemmed: [the cat were run] vs [the cat run]: LCS 3, F 6/7.
        AssertScore(RougeL.Score("The cats were running", "the cat runs", stem: true), 3.0 / 4, 1, 6.0 / 7);
        Assert.Equal(["the", "cat", "were", "run"], RougeL.Tokenize("The cats were running", stem: true));
        // Three-letter words are never stemmed ("ies" would become "i"); rouge-score's mode keeps "dies" → "die".
        Assert.Equal(["ies", "die", "sky"], RougeL.Tokenize("ies dies skies", stem: true));
    }

    [Fact]
    public void Punctuation_separates_words_and_never_forms_tokens()
    {
        Assert.Equal(["it", "s", "3", "14", "isn", "t", "it"], RougeL.Tokenize("It's 3.14 -- isn't it?", stem: false));
        AssertScore(RougeL.Score("Hello, world!!!", "hello world", stem: false), 1, 1, 1);
        Assert.Empty(RougeL.Tokenize("?! ... --- \t\n", stem: false));
    }

    [Theory]
    [InlineData("", "a reference")]
    [InlineData("a prediction", "")]
    [InlineData("", "")]
    [InlineData("?!", "a reference")]          // punctuation only: no tokens either
    [InlineData("a prediction", "  \n\t ")]
    public void No_tokens_on_either_side_scores_zero(string prediction, string reference)
    {
        Assert.Equal(RougeScore.Zero, RougeL.Score(prediction, reference, stem: false));
        Assert.Equal(RougeScore.Zero, RougeL.Score(prediction, reference, stem: true));
    }

    [Fact]
    public void Non_ASCII_letters_are_separators_like_in_rouge_score()
    {
        Assert.Equal(["caf", "na", "ve"], RougeL.Tokenize("café naïve", stem: false));
        AssertScore(RougeL.Score("café naïve", "caf na ve", stem: false), 1, 1, 1);
        Assert.Empty(RougeL.Tokenize("Ελληνικά 中文", stem: false));
        // Python's lower() turns these two into ASCII: İ → "i" + combining dot (a separator), KELVIN SIGN → "k".
        Assert.Equal(["i", "stanbul"], RougeL.Tokenize("İstanbul", stem: false));
        Assert.Equal(["kelvin"], RougeL.Tokenize("\u212Aelvin", stem: false));
    }

    [Fact]
    public void Repeated_words_count_once_per_occurrence_in_the_subsequence()
    {
        // [the the the cat] vs [the cat]: LCS 2. P 1/2, R 1, F 2/3; and the mirror image.
        AssertScore(RougeL.Score("the the the cat", "the cat", stem: false), 0.5, 1, 2.0 / 3);
        AssertScore(RougeL.Score("the cat", "the the the cat", stem: false), 1, 0.5, 2.0 / 3);
        // [the the the cat] vs [the cat the the]: LCS "the the the" = 3.
        AssertScore(RougeL.Score("the the the cat", "the cat the the", stem: false), 0.75, 0.75, 0.75);
    }

    [Fact]
    public void FMeasure_is_zero_when_nothing_matches() =>
        AssertScore(RougeL.Score("alpha beta", "gamma delta", stem: true), 0, 0, 0);

    /// <summary>rouge_cases.jsonl: scores from a Python restatement of rouge-score's tokenizer and LCS with NLTK 3.8
    /// (Data/generate.py). Compared exactly: the same operations in the same order give the same doubles.</summary>
    [Fact]
    public void Matches_the_Python_reference_cases_exactly()
    {
        int n = 0;
        foreach (var line in File.ReadLines(TestData.Path("rouge_cases.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            string pred = e.GetProperty("prediction").GetString()!, reference = e.GetProperty("reference").GetString()!;
            bool stem = e.GetProperty("stem").GetBoolean();
            var got = RougeL.Score(pred, reference, stem);
            var expected = new RougeScore(e.GetProperty("precision").GetDouble(), e.GetProperty("recall").GetDouble(), e.GetProperty("f").GetDouble());
            Assert.True(expected == got, $"stem={stem} pred='{pred}' ref='{reference}': expected {expected}, got {got}");
            n++;
        }
        Assert.True(n >= 150, $"only {n} cases");
    }
}
