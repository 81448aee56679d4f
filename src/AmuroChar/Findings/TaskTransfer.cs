using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 3. "Supervised fine-tuning forgets tasks it did not see": fine-tuning on a classification task lowers the
/// generation tasks' scores, while fine-tuning on a generation task leaves classification about unchanged.
/// Measured as the change of each model's k-shot score on the other tasks' in-domain sets against its base model.
/// </summary>
public sealed class TaskTransfer(Measurements m) : Finding(m)
{
    /// <summary>"About unchanged": the pooled change of classification accuracy after generation fine-tuning lies
    /// within ±0.05 (its 95% CI).</summary>
    public const double Unchanged = 0.05;

    public override string Id => "task_transfer";
    public override string Title => "Fine-tuning on classification hurts generation; fine-tuning on generation leaves classification unchanged";
    public override string PaperSays => "Classification FT → generation −0.051 ROUGE-L on average (SocialIQa QG falls to 0.000 after MNLI or PAWS FT); generation FT → classification +0.002.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    IEnumerable<(FineTuneTask Trained, FineTuneTask Evaluated)> Pairs =>
        from a in StudyPlan.FineTuneTasks from b in StudyPlan.FineTuneTasks where a != b select (a, b);

    public override IReadOnlyDictionary<string, Estimate> Measure(int step) =>
        Pairs.ToDictionary(p => $"{p.Trained.TrainSet}->{p.Evaluated.EvalSet}/change", p => M.Gain(step, p.Trained.TrainSet, p.Evaluated.EvalSet));

    public override IEnumerable<Requirement> Requires() =>
        Pairs.SelectMany(p => Require.FineTuned(M, Checkpoints, p.Trained.TrainSet, [p.Evaluated.EvalSet])
            .Concat(Require.Base(Checkpoints, [p.Evaluated.EvalSet])));

    public override IReadOnlyList<Verdict> Judge() => [ClassificationHurtsGeneration(), GenerationLeavesClassification()];

    /// <summary>Pooled over checkpoints and over (classification model, generation set) pairs, the change is negative
    /// with 95% confidence.</summary>
    public Verdict ClassificationHurtsGeneration() => Pooled("classification fine-tuning lowers generation scores",
        from a in StudyPlan.Classification from b in StudyPlan.Generation select (a, b), e => e.IsNegative);

    public Verdict GenerationLeavesClassification() => Pooled("generation fine-tuning leaves classification about unchanged (within ±0.05)",
        from a in StudyPlan.Generation from b in StudyPlan.Classification select (a, b), e => e.Lo >= -Unchanged && e.Hi <= Unchanged);

    Verdict Pooled(string claim, IEnumerable<(FineTuneTask, FineTuneTask)> pairs, Func<Estimate, bool> holds)
    {
        var evidence = new List<string>();
        var diffs = new List<IReadOnlyList<double>>();
        foreach (var (trained, evaluated) in pairs)
        {
            var changes = Checkpoints.Select(c => M.Gain(c, trained.TrainSet, evaluated.EvalSet)).ToList();
            evidence.Add($"{trained.TrainSet} → {evaluated.EvalSet} ({evaluated.Metric}): {string.Join(", ", changes.Select((e, i) => $"step {Checkpoints[i]} {Signed(e.Mean)}"))}");
            foreach (int c in Checkpoints)
            {
                var ft = M.FineTunedItems(c, trained.TrainSet, evaluated.EvalSet);
                var b = M.BaseItems(c, evaluated.EvalSet);
                diffs.Add(ft.Select((x, i) => x - b[i]).ToList());
            }
        }
        var pooled = GroupBootstrap.MeanOfMeansDifference(diffs, [[0.0]], seed: 20240814);
        evidence.Insert(0, $"pooled change over {diffs.Count} (model, set, checkpoint) cells: {Fmt(pooled)}");
        return new Verdict(claim, holds(pooled), evidence);
    }

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
            Figures.Heatmap(Path.Combine(directory, "transfer-heatmap.png"), $"Change vs base after fine-tuning (step {last})",
                tasks.Select(t => t.TrainSet).ToList(), tasks.Select(t => t.EvalSet).ToList(), values,
                rowAxisLabel: "fine-tuned on", columnAxisLabel: "evaluated on"),
        ];
    }
}
