namespace AmuroChar.Findings;

/// <summary>What one clause of a claim came to. <see cref="NotTestable"/> is not "false": the clause's inputs were
/// missing, empty or degenerate, so the data cannot say either way, and the suite treats that as a failure of the
/// study (a red test naming why), never as a failure of the claim.</summary>
public enum ClauseOutcome { Holds, Fails, NotTestable }

/// <summary>One named condition of a claim (e.g. "XSum: base flat"), with the numbers it was decided on.</summary>
public sealed record Clause(string Name, ClauseOutcome Outcome, string Evidence)
{
    public static Clause Judge(string name, bool holds, string evidence) => new(name, holds ? ClauseOutcome.Holds : ClauseOutcome.Fails, evidence);
    public static Clause Untestable(string name, string why) => new(name, ClauseOutcome.NotTestable, why);

    public string Explain() => $"[{Outcome switch { ClauseOutcome.Holds => "holds", ClauseOutcome.Fails => "FAILS", _ => "NOT TESTABLE" }}] {Name}: {Evidence}";
}

/// <summary>
/// The judgement of a claimed trend: a conjunction of named clauses, each with its numbers, plus context lines. A claim
/// holds when every clause holds; it is testable when no clause is <see cref="ClauseOutcome.NotTestable"/>. A
/// recorded entry (<see cref="Recorded"/>) carries numbers the paper reports without a claim we assert: it is neither
/// a pass nor a failure, is never a test, and doesn't count in <c>reproduce</c>'s exit code. <see cref="Id"/> is the
/// stable name known gaps (<see cref="KnownGaps"/>) and reports refer to.
/// </summary>
public sealed record Verdict(string Id, string Claim, IReadOnlyList<Clause> Clauses, IReadOnlyList<string> Context, bool Asserted = true)
{
    public static Verdict Recorded(string id, string what, IReadOnlyList<string> evidence) => new(id, what, [], evidence, Asserted: false);

    public bool Testable => Clauses.Count > 0 && Clauses.All(c => c.Outcome != ClauseOutcome.NotTestable);
    public bool Holds => Asserted && Testable && Clauses.All(c => c.Outcome == ClauseOutcome.Holds);
    public IReadOnlyList<string> Failing => Clauses.Where(c => c.Outcome == ClauseOutcome.Fails).Select(c => c.Name).ToList();
    public IReadOnlyList<string> Untestable => Clauses.Where(c => c.Outcome == ClauseOutcome.NotTestable).Select(c => c.Name).ToList();

    /// <summary>Every line the claim was judged on: the clauses first, then the context.</summary>
    public IReadOnlyList<string> Evidence => [.. Clauses.Select(c => c.Explain()), .. Context];

    public string Status => !Asserted ? "recorded" : !Testable ? "not testable" : Holds ? "reproduced" : "not reproduced";

    public string Explain() => $"{(!Asserted ? "RECORDED" : !Testable ? "NOT TESTABLE" : Holds ? "HOLDS" : "DOES NOT HOLD")}: {Claim}\n  " + string.Join("\n  ", Evidence);
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
