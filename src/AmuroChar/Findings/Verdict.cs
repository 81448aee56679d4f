namespace AmuroChar.Findings;

/// <summary>
/// The judgement of a claimed trend: whether it holds, and every number it was judged on. A recorded entry
/// (<see cref="Recorded"/>) carries numbers the paper reports without a claim we assert: it is neither a pass nor a
/// failure, is never a test, and doesn't count in <c>reproduce</c>'s exit code.
/// </summary>
public sealed record Verdict(string Claim, bool Holds, IReadOnlyList<string> Evidence, bool Asserted = true)
{
    public static Verdict Recorded(string what, IReadOnlyList<string> evidence) => new(what, true, evidence, Asserted: false);

    public string Status => !Asserted ? "recorded" : Holds ? "reproduced" : "not reproduced";

    public string Explain() => $"{(!Asserted ? "RECORDED" : Holds ? "HOLDS" : "DOES NOT HOLD")}: {Claim}\n  " + string.Join("\n  ", Evidence);
}

/// <summary>How numbers read in evidence lines.</summary>
public static class Show
{
    public static string Fmt(AmuroChar.Evaluation.Estimate e) => $"{e.Mean:0.000} [{e.Lo:0.000}, {e.Hi:0.000}]";

    /// <summary>A signed number; a value that rounds to zero prints as +0.000 (a custom two-section format would print
    /// "-+0.000" for it).</summary>
    public static string Signed(double value, int decimals = 3)
    {
        double rounded = Math.Round(value, decimals);
        if (rounded == 0) rounded = 0;   // drops the sign of -0
        return rounded.ToString("+0." + new string('0', decimals) + ";-0." + new string('0', decimals));
    }
}
