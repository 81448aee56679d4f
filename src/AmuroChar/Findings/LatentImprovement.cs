using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 2. "Continual pre-training improves the model in ways only fine-tuning reveals; fine-tuning helps most where
/// pre-training showed no ability": after fine-tuning, the four tasks score far above their base models, the
/// fine-tuned score rises with pre-training although the base curve is flat, and the gain from fine-tuning is large
/// for the tasks not learned in pre-training and small for instruction tuning on the suites already learned.
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
            metrics[$"{t.EvalSet}/base/{t.Metric}"] = M.Score(ModelRef.Base(step), t.EvalSet);
            metrics[$"{t.EvalSet}/finetuned/{t.Metric}"] = M.FineTunedScore(step, t.TrainSet, t.EvalSet);
            metrics[$"{t.EvalSet}/gain"] = M.Gain(step, t.TrainSet, t.EvalSet);
        }
        foreach (var suite in StudyPlan.LearnedSuites)
            metrics[$"{suite}/instruction_gain"] = M.InstructionGain(step, suite);
        return metrics;
    }

    public override IEnumerable<Requirement> Requires() =>
        Require.Base(Checkpoints, StudyPlan.FineTuneTasks.Select(t => t.EvalSet).Concat(StudyPlan.LearnedSuites))
            .Concat(StudyPlan.FineTuneTasks.SelectMany(t => Require.FineTuned(M, Checkpoints, t.TrainSet, [t.EvalSet])))
            .Concat(Require.Instructed(Checkpoints, StudyPlan.LearnedSuites));

    public override IReadOnlyList<Verdict> Judge() => [FineTuningHelpsFar(), FineTunedScoreRisesWithPretraining(), GainLargeWhereNotLearned()];

    /// <summary>At the last checkpoint every task's fine-tuned score is above its base score with 95% confidence.</summary>
    public Verdict FineTuningHelpsFar()
    {
        int last = Checkpoints[^1];
        var evidence = StudyPlan.FineTuneTasks.Select(t => (t, gain: M.Gain(last, t.TrainSet, t.EvalSet))).ToList();
        return new Verdict($"fine-tuned models score far above their base models (step {last})", evidence.All(e => e.gain.IsPositive),
            evidence.Select(e => $"{e.t.EvalSet}: base {Fmt(M.Score(ModelRef.Base(last), e.t.EvalSet))}, fine-tuned {Fmt(M.FineTunedScore(last, e.t.TrainSet, e.t.EvalSet))}, gain {Fmt(e.gain)}").ToList());
    }

    /// <summary>For each task the fine-tuned score at the last checkpoint beats the first fine-tuned checkpoint
    /// (paired bootstrap), and the fine-tuned curve correlates positively with the step.</summary>
    public Verdict FineTunedScoreRisesWithPretraining()
    {
        int first = Checkpoints[0], last = Checkpoints[^1];
        var evidence = new List<string>();
        bool holds = true;
        foreach (var t in StudyPlan.FineTuneTasks)
        {
            var curve = Checkpoints.Select(c => M.FineTunedScore(c, t.TrainSet, t.EvalSet)).ToList();
            var baseCurve = Checkpoints.Select(c => M.Score(ModelRef.Base(c), t.EvalSet)).ToList();
            double rho = Statistics.Spearman(Checkpoints.Select(c => (double)c).ToList(), curve.Select(e => e.Mean).ToList());
            var rise = Measurements.Difference(M.FineTunedItems(last, t.TrainSet, t.EvalSet), M.FineTunedItems(first, t.TrainSet, t.EvalSet));
            bool rises = rho > 0 && rise.IsPositive;
            holds &= rises;
            evidence.Add($"{t.EvalSet}: fine-tuned {string.Join(" → ", curve.Select(e => e.Mean.ToString("0.00")))} (ρ = {Signed(rho, 2)}, last − first = {Fmt(rise)}); base {string.Join(" → ", baseCurve.Select(e => e.Mean.ToString("0.00")))}");
        }
        return new Verdict("the fine-tuned score rises with pre-training while the base score stays flat", holds, evidence);
    }

    /// <summary>At the last checkpoint the mean fine-tuning gain on the four tasks exceeds the mean instruction-tuning
    /// gain on the learned suites, with 95% confidence (bootstrap over the items of both groups).</summary>
    public Verdict GainLargeWhereNotLearned()
    {
        var evidence = new List<string>();
        foreach (int step in Checkpoints)
        {
            var ft = StudyPlan.FineTuneTasks.Select(t => M.Gain(step, t.TrainSet, t.EvalSet)).ToList();
            var it = StudyPlan.LearnedSuites.Select(s => M.InstructionGain(step, s)).ToList();
            evidence.Add($"step {step}: mean fine-tuning gain (not learned in PT) {Signed(ft.Average(e => e.Mean))}, mean instruction-tuning gain (learned in PT) {Signed(it.Average(e => e.Mean))}");
        }
        int last = Checkpoints[^1];
        var ftGap = GroupGapAt(last);
        evidence.Insert(0, $"step {last}: fine-tuning gain − instruction-tuning gain = {Fmt(ftGap)}");
        return new Verdict("fine-tuning gains far more where pre-training showed no ability than instruction tuning gains where it did", ftGap.IsPositive, evidence);
    }

    /// <summary>Mean per-task FT gain minus mean per-suite IT gain, bootstrapped over items within each dataset.</summary>
    Estimate GroupGapAt(int step)
    {
        var ftDiffs = StudyPlan.FineTuneTasks.Select(t => Diffs(M.FineTunedItems(step, t.TrainSet, t.EvalSet), M.BaseItems(step, t.EvalSet))).ToList();
        var itDiffs = StudyPlan.LearnedSuites.Select(s => Diffs(Measurements.Items(M.Result(ModelRef.InstructionTuned(step), s)), M.BaseItems(step, s))).ToList();
        return GroupBootstrap.MeanOfMeansDifference(ftDiffs, itDiffs, seed: 20240814);
    }

    static IReadOnlyList<double> Diffs(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Select((x, i) => x - b[i]).ToList();

    public override IReadOnlyList<string> Plot(string directory)
    {
        var files = new List<string>();
        foreach (var t in StudyPlan.FineTuneTasks)
        {
            var series = new List<Series>
            {
                new("fine-tuned", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.FineTunedScore(c, t.TrainSet, t.EvalSet))).ToList()),
                new("base", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.Score(ModelRef.Base(c), t.EvalSet))).ToList()),
            };
            files.Add(Figures.LinesOverCheckpoints(Path.Combine(directory, $"finetuned-vs-base-{t.EvalSet}.png"), $"{t.Name}: fine-tuned vs base ({t.EvalSet})", t.Metric, series));
        }
        var groups = Checkpoints.Select(c => $"step {c}").ToList();
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
