using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 2. "Continual pre-training improves the model in ways only fine-tuning reveals; fine-tuning helps most where
/// pre-training showed no ability": after fine-tuning, the four tasks score far above their base models, the
/// fine-tuned score rises with pre-training while the base curve stays flat, and the gain from fine-tuning on the
/// tasks not learned in pre-training outgrows the gain from instruction tuning on the suites already learned. The
/// verdicts and their effect sizes are in <see cref="LatentImprovementVerdicts"/>.
/// </summary>
public sealed class LatentImprovement(Measurements m) : Finding(m)
{
    public override string Id => "latent_improvement";
    public override string Title => "Fine-tuning reveals an improvement that pre-training made but the base model did not show";
    public override string PaperSays => "After FT: MNLI .354→.790, PAWS .581→.878, XSum .094→.183, SocialIQa-QG .380→.659 over checkpoints; mean FT gain on tasks not learned in PT .062→.290 vs instruction-tuning gain on learned suites .048→−.005.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var t in StudyPlan.FineTuneTasks)
        {
            metrics[$"{t.EvalSet}/base/{t.Metric}"] = M.Score(ModelRef.Base(step), t.EvalSet, shots: M.Scale.FineTunedShots);
            if (M.ShotsDiffer) metrics[$"{t.EvalSet}/base_{M.Scale.Shots}shot/{t.Metric}"] = M.Score(ModelRef.Base(step), t.EvalSet);
            metrics[$"{t.EvalSet}/finetuned/{t.Metric}"] = M.FineTunedScore(step, t.TrainSet, t.EvalSet);
            M.AddGains(metrics, $"{t.EvalSet}/gain", step, t.TrainSet, t.EvalSet);
        }
        foreach (var suite in StudyPlan.LearnedSuites)
            metrics[$"{suite}/instruction_gain"] = M.InstructionGain(step, suite);
        return metrics;
    }

    public override IReadOnlyList<Claim> Claims =>
    [
        // Every gain at the last checkpoint is at least half the paper's smallest.
        Asserts("fine_tuning_helps_far", "Fine-tuned models score far above their base models, by half the paper's smallest gain",
            () => LatentImprovementVerdicts.FineTuningHelpsFar(Tasks())),
        Asserts("fine_tuned_rises_while_base_flat", "The fine-tuned score rises with pre-training while the base score stays flat",
            () => LatentImprovementVerdicts.FineTunedRisesWhileBaseFlat(Tasks(), StudyPlan.FineTuneTasks.Where(t => !t.IsGeneration)
                .ToDictionary(t => t.EvalSet, t => M.BaseBalancedChange(Checkpoints[0], Checkpoints[^1], t.EvalSet, shots: M.Scale.FineTunedShots)))),
        // The gap at the last checkpoint and the growth of the gains across checkpoints.
        Asserts("gain_most_where_not_learned", "Fine-tuning gains most where pre-training showed no ability, and that gain outgrows instruction tuning's",
            () => LatentImprovementVerdicts.GainMostWhereNotLearned(Tasks(), StudyPlan.LearnedSuites.Select(s => M.InstructedVsBase(Checkpoints, s)).ToList())),
    ];

    List<PairedCurve> Tasks() => StudyPlan.FineTuneTasks.Select(t => M.FineTunedVsBase(Checkpoints, t.TrainSet, t.EvalSet)).ToList();

    public override IReadOnlyList<string> Plot(string directory)
    {
        var files = new List<string>();
        foreach (var t in StudyPlan.FineTuneTasks)
        {
            var series = new List<Series>
            {
                new("fine-tuned", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.FineTunedScore(c, t.TrainSet, t.EvalSet))).ToList()),
                new($"base, {M.Scale.FineTunedShots}-shot", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.Score(ModelRef.Base(c), t.EvalSet, shots: M.Scale.FineTunedShots))).ToList()),
            };
            if (M.ShotsDiffer)
                series.Add(new($"base, {M.Scale.Shots}-shot (the paper's comparison)", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.Score(ModelRef.Base(c), t.EvalSet))).ToList()));
            files.Add(Figures.LinesOverCheckpoints(Path.Combine(directory, $"finetuned-vs-base-{t.EvalSet}.png"), $"{t.Name}: fine-tuned vs base ({t.EvalSet})", t.Metric, series));
        }
        var groups = Checkpoints.Select(CheckpointStep.Name).ToList();
        files.Add(Figures.GroupedBars(Path.Combine(directory, "gain-by-group.png"), "Gain: fine-tuning (tasks not learned in PT) vs instruction tuning (learned suites)", "mean gain",
            groups,
            [
                new BarSeries("fine-tuning, 4 tasks", Checkpoints.Select(c => Bar(StudyPlan.FineTuneTasks.Select(t => M.Gain(c, t.TrainSet, t.EvalSet)))).ToList()),
                new BarSeries("instruction tuning, 6 suites", Checkpoints.Select(c => Bar(StudyPlan.LearnedSuites.Select(s => M.InstructionGain(c, s)))).ToList()),
            ]));
        return files;
    }

    static BarValue Bar(IEnumerable<Estimate> es)
    {
        var list = es.ToList();
        return new BarValue(list.Average(e => e.Mean), list.Average(e => e.Lo), list.Average(e => e.Hi));
    }
}
