using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 3. "Supervised fine-tuning forgets tasks it did not see": fine-tuning on a classification task lowers the
/// generation tasks' scores, while fine-tuning on a generation task leaves classification about unchanged.
/// Measured as the change of each model's score on the other tasks' in-domain sets against its base model at the
/// same shots (the paper's comparison with a few-shot base is reported beside it where the shots differ).
/// </summary>
public sealed class TaskTransfer(Measurements m) : Finding(m)
{
    public override string Id => "task_transfer";
    public override string Title => "Fine-tuning on classification hurts generation; fine-tuning on generation leaves classification unchanged";
    public override string PaperSays => "Classification FT → generation −0.051 ROUGE-L on average (SocialIQa QG falls to 0.000 after MNLI or PAWS FT); generation FT → classification +0.002.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    IEnumerable<(FineTuneTask Trained, FineTuneTask Evaluated)> Pairs =>
        from a in StudyPlan.FineTuneTasks from b in StudyPlan.FineTuneTasks where a != b select (a, b);

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var p in Pairs) M.AddGains(metrics, $"{p.Trained.TrainSet}->{p.Evaluated.EvalSet}/change", step, p.Trained.TrainSet, p.Evaluated.EvalSet);
        // What "unchanged" is gated on: whether the like-for-like base model discriminates each classification set.
        foreach (var t in StudyPlan.Classification)
            metrics[$"{t.EvalSet}/base_balanced_accuracy"] = M.BaseDiscrimination(step, t.EvalSet, M.Scale.FineTunedShots).BalancedAccuracy;
        return metrics;
    }

    public override IReadOnlyList<Claim> Claims =>
    [
        // Over (classification model, generation set) pairs.
        Asserts("classification_hurts_generation", "Classification fine-tuning lowers generation scores",
            () => TransferVerdicts.ClassificationHurtsGeneration(Changes(StudyPlan.Classification, StudyPlan.Generation))),
        // Over (generation model, classification set) pairs, gated on the base model's discrimination.
        Asserts("generation_leaves_classification", "Generation fine-tuning leaves classification about unchanged",
            () => TransferVerdicts.GenerationLeavesClassification(Changes(StudyPlan.Generation, StudyPlan.Classification))),
    ];

    /// <summary>The changes of models fine-tuned on <paramref name="trained"/> on the sets of <paramref name="evaluated"/>;
    /// on classification sets with the like-for-like base model's discrimination, which "unchanged" is gated on.</summary>
    List<TransferVerdicts.Change> Changes(IEnumerable<FineTuneTask> trained, IEnumerable<FineTuneTask> evaluated) =>
        (from a in trained from b in evaluated
         select new TransferVerdicts.Change(a.TrainSet, b.EvalSet, b.Metric, M.FineTunedVsBase(Checkpoints, a.TrainSet, b.EvalSet).Gain,
             !b.IsGeneration ? Checkpoints.Select(s => M.BaseDiscrimination(s, b.EvalSet, M.Scale.FineTunedShots)).ToList() : null)).ToList();

    public override IReadOnlyList<string> Plot(string directory)
    {
        int last = Checkpoints[^1];
        var tasks = StudyPlan.FineTuneTasks;
        var values = new double[tasks.Count, tasks.Count];
        for (int i = 0; i < tasks.Count; i++)
            for (int j = 0; j < tasks.Count; j++)
                values[i, j] = M.Gain(last, tasks[i].TrainSet, tasks[j].EvalSet).Mean;
        return
        [
            Figures.Heatmap(Path.Combine(directory, "transfer-heatmap.png"), $"Change vs base after fine-tuning ({CheckpointStep.Name(last)})",
                tasks.Select(t => t.TrainSet).ToList(), tasks.Select(t => t.EvalSet).ToList(), values,
                rowAxisLabel: "fine-tuned on", columnAxisLabel: "evaluated on"),
        ];
    }
}
