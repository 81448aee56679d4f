namespace AmuroChar.Evaluation;

/// <summary>Precision, recall and F-measure of one prediction against one reference.</summary>
public readonly record struct RougeScore(double Precision, double Recall, double F)
{
    public static readonly RougeScore Zero = new(0, 0, 0);
}

/// <summary>
/// ROUGE-L as Google's rouge-score package computes <c>rougeL</c> (not <c>rougeLsum</c>): the longest common
/// subsequence of the two token lists, P = lcs/|prediction|, R = lcs/|reference|, F = 2PR/(P+R), and all zero when
/// either side has no tokens. The tokenizer reproduces rouge_score/tokenize.py; see <see cref="Tokenize"/>.
/// </summary>
public static class RougeL
{
    public static RougeScore Score(string prediction, string reference, bool stem)
    {
        var pred = Tokenize(prediction, stem);
        var refs = Tokenize(reference, stem);
        return FromTokens(pred, refs);
    }

    public static RougeScore FromTokens(IReadOnlyList<string> prediction, IReadOnlyList<string> reference)
    {
        if (prediction.Count == 0 || reference.Count == 0) return RougeScore.Zero;
        int lcs = LcsLength(prediction, reference);
        double precision = (double)lcs / prediction.Count;
        double recall = (double)lcs / reference.Count;
        return new RougeScore(precision, recall, FMeasure(precision, recall));
    }

    /// <summary>rouge-score's <c>scoring.fmeasure</c>, with its operation order so results agree to the last bit.</summary>
    public static double FMeasure(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;

    /// <summary>
    /// rouge-score's default tokenizer: Python <c>str.lower()</c>, every run of characters outside [a-z0-9] becomes
    /// a separator, and with <paramref name="stem"/> tokens longer than three characters go through NLTK's Porter
    /// stemmer in its default mode. So non-ASCII letters split words ("café" → "caf"), digits are kept, and
    /// punctuation never forms a token.
    /// </summary>
    public static IReadOnlyList<string> Tokenize(string text, bool stem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();

        void Flush()
        {
            if (current.Length == 0) return;
            string token = current.ToString();
            current.Clear();
            tokens.Add(stem && token.Length > 3 ? PorterStemmer.Rouge.Stem(token) : token);
        }

        foreach (char c in text)
        {
            switch (c)
            {
                case >= 'a' and <= 'z' or >= '0' and <= '9':
                    current.Append(c);
                    break;
                case >= 'A' and <= 'Z':
                    current.Append((char)(c + ('a' - 'A')));
                    break;
                // The only two non-ASCII characters whose Python lower() contains [a-z0-9] (checked over all of
                // Unicode 14): KELVIN SIGN → "k", and LATIN CAPITAL I WITH DOT ABOVE → "i" + U+0307, whose combining
                // dot then ends the token.
                case '\u212A':
                    current.Append('k');
                    break;
                case '\u0130':
                    current.Append('i');
                    Flush();
                    break;
                default:
                    Flush();
                    break;
            }
        }
        Flush();
        return tokens;
    }

    /// <summary>Length of the longest common subsequence (not substring) of two token lists; two-row DP.</summary>
    public static int LcsLength(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count < b.Count) (a, b) = (b, a);   // rows over the longer list, so the row buffers are short
        var prev = new int[b.Count + 1];
        var cur = new int[b.Count + 1];
        for (int i = 1; i <= a.Count; i++)
        {
            string ai = a[i - 1];
            for (int j = 1; j <= b.Count; j++)
                cur[j] = string.Equals(ai, b[j - 1], StringComparison.Ordinal) ? prev[j - 1] + 1 : Math.Max(prev[j], cur[j - 1]);
            (prev, cur) = (cur, prev);
        }
        return prev[b.Count];
    }
}
