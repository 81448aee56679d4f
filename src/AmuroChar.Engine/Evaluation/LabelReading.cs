namespace AmuroChar.Evaluation;

/// <summary>
/// How generated text becomes a class label, in one place. Two readings exist, and under the authors' protocol both
/// are reported: theirs decides the accuracy (it produced the published numbers), ours sits beside it.
/// </summary>
public static class LabelReading
{
    public const string None = "(none)";

    /// <summary>The suite's reading: the label a generated answer starts with (first word, case and punctuation
    /// ignored), or <see cref="None"/>.</summary>
    public static string FirstWord(string generated, IReadOnlyList<string> labels)
    {
        var word = new string(generated.TrimStart().TakeWhile(char.IsLetter).ToArray()).ToLowerInvariant();
        return labels.FirstOrDefault(l => l == word) ?? None;
    }

    /// <summary>
    /// The authors' reading, <c>strip_labels</c> in <c>eval/eval_pred.py</c>: the first label of a fixed order whose
    /// word occurs anywhere in the raw output, case-sensitively. NLI checks contradiction, then neutral, then
    /// entailment; paraphrase checks "no" before "yes". A quirk follows from the substring test: any output containing
    /// "no" (e.g. "not", "know", "none") is the negative class, and an NLI output naming two labels counts as the
    /// first in that order. For a single label word, as next-word prediction gives, both readings agree. A label set
    /// that is neither (their code has no branch for one) falls back to <see cref="FirstWord"/>.
    /// </summary>
    public static string Authors(string generated, IReadOnlyList<string> labels)
    {
        string[]? order = labels.Contains("contradiction") ? ["contradiction", "neutral", "entailment"]
            : labels.Count == 2 && labels.Contains("yes") && labels.Contains("no") ? ["no", "yes"]
            : null;
        if (order is null) return FirstWord(generated, labels);
        return order.Where(labels.Contains).FirstOrDefault(l => generated.Contains(l, StringComparison.Ordinal)) ?? None;
    }
}
