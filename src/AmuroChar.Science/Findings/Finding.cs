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

    /// <summary>Every evaluation this finding reads (so a runner can compute them all first, in parallel).</summary>
    public abstract IEnumerable<Requirement> Requires();

    /// <summary>The claimed trends, each judged across checkpoints.</summary>
    public abstract IReadOnlyList<Verdict> Judge();

    /// <summary>Writes this finding's figures into <paramref name="directory"/>; returns their paths.</summary>
    public abstract IReadOnlyList<string> Plot(string directory);

    protected static string Fmt(Estimate e) => Show.Fmt(e);
    protected static string Signed(double value, int decimals = 3) => Show.Signed(value, decimals);
}
