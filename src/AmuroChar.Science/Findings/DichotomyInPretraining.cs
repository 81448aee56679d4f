using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 1. "Some tasks are learned during pre-training, others not at all": base-model k-shot performance rises over
/// checkpoints for the learned-in-pre-training suites and stays flat, at chance (classification)
/// or at the floor (generation), for the four fine-tuning tasks. The verdicts are in <see cref="DichotomyVerdicts"/>.
/// </summary>
public sealed class DichotomyInPretraining(Measurements m) : Finding(m)
{
    public override string Id => "dichotomy";
    public override string Title => "Base-model performance rises over pre-training for the learned-in-pre-training suites and stays flat at chance or floor for the fine-tuning tasks";
    public override string PaperSays => "4-shot base: HellaSwag .25→.63, ARC-E .27→.57, SciQ .38→.93, OBQA .27→.43 rise; MNLI ≈.33, PAWS ≈.56 (majority), XSum .02–.12, SocialIQa-QG .02–.10 stay flat.";
    public override IReadOnlyList<int> Checkpoints => M.Checkpoints;

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var suite in StudyPlan.LearnedSuites)
        {
            var r = M.Result(ModelRef.Base(step), suite);
            metrics[$"{suite}/acc"] = r.Metrics["acc"];
            metrics[$"{suite}/acc_norm"] = r.Metrics["acc_norm"];
        }
        foreach (var task in StudyPlan.FineTuneTasks)
            metrics[$"{task.EvalSet}/{task.Metric}"] = M.Score(ModelRef.Base(step), task.EvalSet);
        return metrics;
    }

    public override IReadOnlyList<Claim> Claims =>
    [
        // DichotomyVerdicts.LearnedSuitesRise on every suite's base curve.
        Asserts("learned_suites_rise", "The learned suites rise with pre-training",
            () => DichotomyVerdicts.LearnedSuitesRise(StudyPlan.LearnedSuites.Select(s => M.BaseCurve(Checkpoints, s)).ToList())),
        // DichotomyVerdicts.FineTuneTasksStayFlat: level (chance + margin, or the generation floor) and flatness of
        // each task's base curve over every checkpoint.
        Asserts("fine_tuning_tasks_stay_flat", "The fine-tuning tasks stay flat at chance or floor",
            () => DichotomyVerdicts.FineTuneTasksStayFlat(StudyPlan.FineTuneTasks.Select(t => new DichotomyVerdicts.BaseTask(
                M.BaseCurve(Checkpoints, t.EvalSet), t.Metric,
                DichotomyVerdicts.LimitFor(t.IsGeneration, t.IsGeneration ? 0 : M.LabelCount(t.EvalSet)),
                t.IsGeneration ? null : M.BaseBalancedChange(Checkpoints[0], Checkpoints[^1], t.EvalSet))).ToList())),
    ];

    public override IReadOnlyList<string> Plot(string directory)
    {
        var learned = StudyPlan.LearnedSuites.Select(s => new Series(s, Checkpoints.Select(c => Point(c, M.Score(ModelRef.Base(c), s))).ToList())).ToList();
        var tasks = StudyPlan.FineTuneTasks.Select(t => new Series($"{t.EvalSet} ({t.Metric})", Checkpoints.Select(c => Point(c, M.Score(ModelRef.Base(c), t.EvalSet))).ToList())).ToList();
        return
        [
            Figures.LinesOverCheckpoints(Path.Combine(directory, "base-learned-suites.png"), "Learned in pre-training: base model, ranked multiple choice", "accuracy", learned),
            Figures.LinesOverCheckpoints(Path.Combine(directory, "base-finetuning-tasks.png"), $"Not learned in pre-training: base model, {M.Scale.Shots}-shot", "accuracy / ROUGE-L", tasks),
        ];
    }

    internal static Point Point(int step, Estimate e) => new(step, e.Mean, e.Lo, e.Hi);
}
