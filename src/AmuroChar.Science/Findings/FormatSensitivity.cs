using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 5. "Sensitivity to evaluation prompts after supervised fine-tuning can be reduced by more pre-training":
/// models fine-tuned in the default format score lower in the instruct and input-output formats, and that gap
/// shrinks with more pre-training — judged without the checkpoints where some format's model predicts one label
/// for everything (<see cref="FormatVerdicts"/>). The most frequent label's share, which decides that, is in the
/// baselines too (<c>&lt;set&gt;/&lt;format&gt;/top_label_share</c>).
/// </summary>
public sealed class FormatSensitivity(Measurements m) : Finding(m)
{
    static readonly string[] OtherFormats = ["instruct", "inputoutput"];

    public override string Id => "format_sensitivity";
    public override string Title => "Fine-tuned models are sensitive to the prompt format, less so with more pre-training";
    public override string PaperSays => "FT default/instruct/inputoutput: MNLI 18k .557/.375/.356, 342k .787/.684/.429, main .790/.740/.609; PAWS 18k .805/.595/.631, main .878/.862/.879.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var t in StudyPlan.FormatTasks)
        {
            metrics[$"{t.EvalSet}/default"] = M.FineTunedScore(step, t.TrainSet, t.EvalSet);
            metrics[$"{t.EvalSet}/default/top_label_share"] = M.TopLabelShareEstimate(step, t.TrainSet, t.EvalSet);
            foreach (var f in OtherFormats)
            {
                metrics[$"{t.EvalSet}/{f}"] = M.FineTunedScore(step, t.TrainSet, t.EvalSet, f);
                metrics[$"{t.EvalSet}/{f}/top_label_share"] = M.TopLabelShareEstimate(step, t.TrainSet, t.EvalSet, f);
                metrics[$"{t.EvalSet}/gap_{f}"] = Gap(step, t, f);
            }
        }
        return metrics;
    }

    /// <summary>Default-format score minus the other format's, same fine-tuned models (run by run), same items.</summary>
    Estimate Gap(int step, FineTuneTask t, string format) =>
        HierarchicalBootstrap.Mean(M.FineTunedCell(step, t.TrainSet, t.EvalSet).Minus(M.FineTunedCell(step, t.TrainSet, t.EvalSet, format)));

    public override IReadOnlyList<Claim> Claims =>
    [
        // At the last checkpoint.
        Asserts("format_sensitive", "Fine-tuned models score lower in other formats", () => FormatVerdicts.Sensitive(Tasks())),
        // Over the checkpoints where no format's model is constant.
        Asserts("format_gap_shrinks", "The format gap shrinks with more pre-training, on checkpoints without constant predictions",
            () => FormatVerdicts.GapShrinks(Tasks())),
    ];

    List<FormatVerdicts.FormatTask> Tasks() => StudyPlan.FormatTasks.Select(t => new FormatVerdicts.FormatTask(t.EvalSet, Scores(t, TaskDefinition.DefaultFormat),
        OtherFormats.Select(f => Scores(t, f)).ToList())).ToList();

    FormatVerdicts.FormatScores Scores(FineTuneTask t, string format) => new(format, M.FineTunedCurve(Checkpoints, t.TrainSet, t.EvalSet, format),
        Checkpoints.Select(c => M.TopLabelShare(c, t.TrainSet, t.EvalSet, format)).ToList());

    public override IReadOnlyList<string> Plot(string directory) =>
        StudyPlan.FormatTasks.Select(t => Figures.LinesOverCheckpoints(Path.Combine(directory, $"formats-{t.EvalSet}.png"), $"{t.Name} fine-tuned in the default format, evaluated in each format", "accuracy",
            new[] { "default" }.Concat(OtherFormats).Select(f => new Series(f, Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.FineTunedScore(c, t.TrainSet, t.EvalSet, f))).ToList())).ToList())).ToList();
}
