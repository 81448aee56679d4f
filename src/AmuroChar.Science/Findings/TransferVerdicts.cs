using AmuroChar.Checkpoints;
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

    /// <summary>A (fine-tuned on → evaluated on) pair: fine-tuned − base, item by item, at each checkpoint, and where
    /// an "unchanged" claim reads it, whether the base model discriminates the set at each checkpoint.</summary>
    public sealed record Change(string TrainedOn, string EvaluatedOn, string Metric, ItemCurve Diff, IReadOnlyList<Discrimination>? Base = null);

    /// <summary>Pooled over pairs and checkpoints (each cell weighs equally), the change is negative with 95% confidence.</summary>
    public static Verdict ClassificationHurtsGeneration(IReadOnlyList<Change> changes) =>
        Pooled("classification_hurts_generation", "classification fine-tuning lowers generation scores", "pooled change < 0", changes, e => e.IsNegative);

    /// <summary>"About unchanged" (<see cref="Equivalence"/>) over the (pair, checkpoint) cells whose base model
    /// discriminates the classification set: the pooled change's 95% CI lies within ±<see cref="Unchanged"/>, and no
    /// cell moved beyond it with 95% confidence.</summary>
    public static Verdict GenerationLeavesClassification(IReadOnlyList<Change> changes)
    {
        if (changes.Count == 0) throw new ArgumentException("no (fine-tuned, evaluated) pairs to judge");
        var cells = changes.SelectMany(c => c.Diff.Steps.Select((s, i) => new Equivalence.GatedCell($"{c.TrainedOn} → {c.EvaluatedOn} {CheckpointStep.Name(s)}", c.Diff.Cells[i],
            (c.Base ?? throw new ArgumentException($"{c.TrainedOn} → {c.EvaluatedOn}: an 'unchanged' claim needs the base model's discrimination"))[i]))).ToList();
        var (clauses, context) = Equivalence.Judge("", "cell", cells, Unchanged);
        return new Verdict("generation_leaves_classification",
            $"generation fine-tuning leaves classification about unchanged (on sets its base model discriminates: pooled 95% CI within ±{Unchanged}, no cell beyond it)",
            clauses, [.. context, .. changes.Select(Describe)]);
    }

    static string Describe(Change c) => $"{c.TrainedOn} → {c.EvaluatedOn} ({c.Metric}): " +
        string.Join(", ", c.Diff.Steps.Select((s, i) => $"{CheckpointStep.Name(s)} {Signed(c.Diff.Means[i])}"));

    static Verdict Pooled(string id, string claim, string clause, IReadOnlyList<Change> changes, Func<AmuroChar.Evaluation.Estimate, bool> holds)
    {
        if (changes.Count == 0) throw new ArgumentException("no (fine-tuned, evaluated) pairs to pool");
        var cells = changes.SelectMany(c => c.Diff.Cells).ToList();
        var pooled = HierarchicalBootstrap.MeanOfMeans(cells);   // a set's items drawn once for every cell that scores it
        var context = changes.Select(Describe).ToList();
        return new Verdict(id, claim, [Clause.Judge(clause, holds(pooled), $"pooled change over {cells.Count} (model, set, checkpoint) cells: {Fmt(pooled)}")], context);
    }

    /// <summary>Finding 4, its other half: fine-tuning on a task improves that task's out-of-domain sets. Judged on
    /// NLI, where the paper states it (MNLI fine-tuning: RTE .50 → .66, GPT3NLI .33 → .72, NLI OOD +0.25 on
    /// average): at the last checkpoint each set's change is positive with 95% confidence.</summary>
    public static Verdict ImprovesOutOfDomain(string task, IReadOnlyList<PairedCurve> sets)
    {
        if (sets.Count == 0) throw new ArgumentException("no out-of-domain sets to judge");
        var clauses = sets.Select(s =>
        {
            var change = s.Gain.Mean(s.Gain.Steps.Count - 1);
            return Clause.Judge($"{s.Name}: improves", change.IsPositive,
                $"{CheckpointStep.Name(s.Tuned.Last)}: base {Fmt(s.Base.Mean(s.Base.Steps.Count - 1))}, after fine-tuning {Fmt(s.Tuned.Mean(s.Tuned.Steps.Count - 1))}, change {Fmt(change)}");
        }).ToList();
        var context = sets.Select(s => $"{s.Name} change by step: " + string.Join(", ", s.Gain.Steps.Select((step, i) => $"{step} {Signed(s.Gain.Means[i])}"))).ToList();
        return new Verdict("fine_tuning_improves_out_of_domain", $"{task} fine-tuning improves its out-of-domain sets at the last checkpoint", clauses, context);
    }

    /// <summary>Finding 4: question-generation fine-tuning lowers science question generation at the last checkpoint
    /// (the paper: SciQ-QG −.03 to −.16 after step 342k), negative with 95% confidence.</summary>
    public static Verdict ForgetsScienceQuestions(PairedCurve sciqAfterQg)
    {
        int last = sciqAfterQg.Tuned.Steps.Count - 1;
        var change = sciqAfterQg.Gain.Mean(last);
        var context = sciqAfterQg.Tuned.Steps.Select((s, i) => $"{CheckpointStep.Name(s)}: base {Fmt(sciqAfterQg.Base.Mean(i))}, after fine-tuning {Fmt(sciqAfterQg.Tuned.Mean(i))}").ToList();
        // Named for what is measured: generating SciQ's questions (at the tiny scale that is its question template).
        return new Verdict("qg_forgets_science_questions", "question-generation fine-tuning lowers SciQ question generation at the last checkpoint",
            [Clause.Judge("change < 0", change.IsNegative, $"{CheckpointStep.Name(sciqAfterQg.Tuned.Last)}: change = {Fmt(change)}")], context);
    }
}
