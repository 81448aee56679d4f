using AmuroChar.Evaluation;

namespace AmuroChar.Findings;

/// <summary>
/// One of the paper's findings: what it measures at each checkpoint (compared with snapshotted baselines), the trend
/// it claims across checkpoints (judged with statistics), and the figures that show it.
/// </summary>
public abstract class Finding(Measurements m)
{
    /// <summary>Every finding of the study, in report order.</summary>
    public static IReadOnlyList<Finding> All(Measurements m) =>
    [
        new DichotomyInPretraining(m), new LatentImprovement(m), new TaskTransfer(m), new DomainKnowledge(m),
        new FormatSensitivity(m), new InstructionTuning(m), new PredictionMethods(m),
    ];

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

    /// <summary>
    /// What a baseline holds of one checkpoint: <see cref="Measure"/>'s numbers, and a digest of the per-item scores of
    /// every evaluation they were computed from (<see cref="Measurements.ScoredItemsDigest"/>), so that under the
    /// baselines' own numeric path "the same" means the same items scored the same, not only the same means.
    /// </summary>
    public (IReadOnlyDictionary<string, Estimate> Metrics, IReadOnlyDictionary<string, string> ScoredItems) Snapshot(int step)
    {
        IReadOnlyDictionary<string, Estimate>? metrics = null;
        var read = m.Tracking(() => metrics = Measure(step));
        return (metrics!, read);
    }

    // What this finding reads (so a runner can compute it all first, in parallel) is not listed here: it is derived by
    // running Measure and the claims against a recording source (Declaration; DerivedRequirements.Requires), so it
    // can't drift from the code.

    /// <summary>The claims, declared once each: id, title and the function judging it (<see cref="Claim"/>).</summary>
    public abstract IReadOnlyList<Claim> Claims { get; }

    /// <summary>Every claim judged across checkpoints, in declaration order, each verdict keyed by its claim id.</summary>
    public IReadOnlyList<Verdict> Judge() => Claims.Select(c => c.Judge()).ToList();

    /// <summary>A claim the suite asserts: "<see cref="Id"/>.<paramref name="name"/>".</summary>
    protected Claim Asserts(string name, string title, Func<Verdict> judge) => new($"{Id}.{name}", title, Asserted: true, judge);

    /// <summary>Numbers the paper reports without a claim we assert (<see cref="Verdict.Recorded"/>): never a test.</summary>
    protected Claim Records(string name, string title, Func<Verdict> judge) => new($"{Id}.{name}", title, Asserted: false, judge);

    /// <summary>Writes this finding's figures into <paramref name="directory"/>; returns their paths.</summary>
    public abstract IReadOnlyList<string> Plot(string directory);

    protected static string Fmt(Estimate e) => Show.Fmt(e);
    protected static string Signed(double value, int decimals = 3) => Show.Signed(value, decimals);
}
