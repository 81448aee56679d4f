using static AmuroChar.Findings.Show;

namespace AmuroChar.Findings;

/// <summary>
/// The verdicts of findings 3 and 4 on plain numbers: changes of a model fine-tuned on one task, evaluated on
/// another task's (or an out-of-domain) set, against its base model.
/// </summary>
public static class TransferVerdicts
{
    /// <summary>"About unchanged": the pooled change's 95% CI lies within ±0.05. The paper: generation FT →
    /// classification +0.002, against −0.051 for the other direction, so ±0.05 separates the two.</summary>
    public const double Unchanged = 0.05;

    /// <summary>A (fine-tuned on → evaluated on) pair: fine-tuned − base, item by item, at each checkpoint.</summary>
    public sealed record Change(string TrainedOn, string EvaluatedOn, string Metric, ItemCurve Diff);

    /// <summary>Pooled over pairs and checkpoints (each cell weighs equally), the change is negative with 95% confidence.</summary>
    public static Verdict ClassificationHurtsGeneration(IReadOnlyList<Change> changes) =>
        Pooled("classification fine-tuning lowers generation scores", changes, e => e.IsNegative);

    /// <summary>Pooled over pairs and checkpoints, the change's 95% CI lies within ±<see cref="Unchanged"/>.</summary>
    public static Verdict GenerationLeavesClassification(IReadOnlyList<Change> changes) =>
        Pooled($"generation fine-tuning leaves classification about unchanged (pooled 95% CI within ±{Unchanged})", changes, e => Statistics.Within(e, Unchanged));

    static Verdict Pooled(string claim, IReadOnlyList<Change> changes, Func<AmuroChar.Evaluation.Estimate, bool> holds)
    {
        if (changes.Count == 0) throw new ArgumentException("no (fine-tuned, evaluated) pairs to pool");
        var cells = changes.SelectMany(c => c.Diff.Cells).ToList();
        var pooled = HierarchicalBootstrap.MeanOfMeans(cells);   // a set's items drawn once for every cell that scores it
        var evidence = new List<string> { $"pooled change over {cells.Count} (model, set, checkpoint) cells: {Fmt(pooled)}" };
        evidence.AddRange(changes.Select(c => $"{c.TrainedOn} → {c.EvaluatedOn} ({c.Metric}): " +
            string.Join(", ", c.Diff.Steps.Select((s, i) => $"step {s} {Signed(c.Diff.Means[i])}"))));
        return new Verdict(claim, holds(pooled), evidence);
    }

    /// <summary>Finding 4: question-generation fine-tuning lowers science question generation at the last checkpoint
    /// (the paper: SciQ-QG −.03 to −.16 after step 342k), negative with 95% confidence.</summary>
    public static Verdict ForgetsScienceQuestions(PairedCurve sciqAfterQg)
    {
        int last = sciqAfterQg.Tuned.Steps.Count - 1;
        var change = sciqAfterQg.Gain.Mean(last);
        var evidence = sciqAfterQg.Tuned.Steps.Select((s, i) => $"step {s}: base {Fmt(sciqAfterQg.Base.Mean(i))}, after fine-tuning {Fmt(sciqAfterQg.Tuned.Mean(i))}").ToList();
        evidence.Insert(0, $"step {sciqAfterQg.Tuned.Last}: change = {Fmt(change)}");
        return new Verdict("question-generation fine-tuning forgets science question generation at the last checkpoint", change.IsNegative, evidence);
    }
}
