using AmuroChar.Evaluation;

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

/// <summary>
/// One of the paper's findings: what it measures at each checkpoint (compared with snapshotted baselines), the trend
/// it claims across checkpoints (judged with statistics), and the figures that show it.
/// </summary>
public abstract class Finding(Measurements m)
{
    protected Measurements M => m;

    /// <summary>Folder name under baselines/&lt;scale&gt;/ and in the report.</summary>
    public abstract string Id { get; }
    public abstract string Title { get; }
    /// <summary>What the paper reports, with its numbers (../shared/reference).</summary>
    public abstract string PaperSays { get; }

    /// <summary>The checkpoints this finding measures.</summary>
    public abstract IReadOnlyList<int> Checkpoints { get; }

    /// <summary>Every number this finding measures at one checkpoint, by name.</summary>
    public abstract IReadOnlyDictionary<string, Estimate> Measure(int step);

    /// <summary>Every evaluation this finding reads (so a runner can compute them all first, in parallel).</summary>
    public abstract IEnumerable<Requirement> Requires();

    /// <summary>The claimed trends, each judged across checkpoints.</summary>
    public abstract IReadOnlyList<Verdict> Judge();

    /// <summary>Writes this finding's figures into <paramref name="directory"/>; returns their paths.</summary>
    public abstract IReadOnlyList<string> Plot(string directory);

    protected static string Fmt(Estimate e) => $"{e.Mean:0.000} [{e.Lo:0.000}, {e.Hi:0.000}]";

    /// <summary>A signed number; a value that rounds to zero prints as +0.000 (a custom two-section format would print
    /// "-+0.000" for it).</summary>
    protected static string Signed(double value, int decimals = 3)
    {
        double rounded = Math.Round(value, decimals);
        if (rounded == 0) rounded = 0;   // drops the sign of -0
        return rounded.ToString("+0." + new string('0', decimals) + ";-0." + new string('0', decimals));
    }
    protected static string Steps(IEnumerable<int> steps) => string.Join(", ", steps);
}
