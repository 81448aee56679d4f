using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 1. "Some tasks are learned during pre-training, others not at all": base-model k-shot performance rises over
/// checkpoints for the learned-in-pre-training suites and stays at chance (classification) or at the floor
/// (generation) for the four fine-tuning tasks.
/// </summary>
public sealed class DichotomyInPretraining(Measurements m) : Finding(m)
{
    /// <summary>Generation scores at or below this ROUGE-L count as the floor (the paper's base models: .02–.12).</summary>
    public const double GenerationFloor = 0.25;
    /// <summary>Classification accuracy within this margin of chance counts as chance.</summary>
    public const double ChanceMargin = 0.10;

    public override string Id => "dichotomy";
    public override string Title => "Base-model performance rises over pre-training for the learned-in-pre-training suites and stays at chance or floor for the fine-tuning tasks";
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

    public override IEnumerable<Requirement> Requires() =>
        Require.Base(Checkpoints, StudyPlan.LearnedSuites.Concat(StudyPlan.FineTuneTasks.Select(t => t.EvalSet)));

    public override IReadOnlyList<Verdict> Judge() => [LearnedSuitesRise(), FineTuneTasksStayFlat()];

    /// <summary>The suites' mean accuracy is higher at the last checkpoint than at the first (paired bootstrap over
    /// all suite items), and most suites individually correlate positively with the step.</summary>
    public Verdict LearnedSuitesRise()
    {
        int first = Checkpoints[0], last = Checkpoints[^1];
        var evidence = new List<string>();
        var firstItems = new List<double>();
        var lastItems = new List<double>();
        int rising = 0;
        foreach (var suite in StudyPlan.LearnedSuites)
        {
            var curve = Checkpoints.Select(c => M.Score(ModelRef.Base(c), suite)).ToList();
            double rho = Statistics.Spearman(Checkpoints.Select(c => (double)c).ToList(), curve.Select(e => e.Mean).ToList());
            var rise = Measurements.Difference(M.BaseItems(last, suite), M.BaseItems(first, suite));
            if (rho > 0 && rise.IsPositive) rising++;
            evidence.Add($"{suite}: acc {string.Join(" → ", curve.Select(e => e.Mean.ToString("0.00")))}; Spearman ρ = {Signed(rho, 2)}; last − first = {Fmt(rise)}");
            firstItems.AddRange(M.BaseItems(first, suite));
            lastItems.AddRange(M.BaseItems(last, suite));
        }
        var overall = Measurements.Difference(lastItems, firstItems);
        evidence.Insert(0, $"all suites pooled: last − first = {Fmt(overall)}; suites rising (ρ > 0 and last − first > 0 with 95% confidence): {rising} of {StudyPlan.LearnedSuites.Count}");
        return new Verdict("the learned-in-pre-training suites rise with pre-training", overall.IsPositive && rising * 2 > StudyPlan.LearnedSuites.Count, evidence);
    }

    /// <summary>Every checkpoint's base score on each fine-tuning task stays within chance + 0.10 (classification)
    /// or at most 0.25 ROUGE-L (generation).</summary>
    public Verdict FineTuneTasksStayFlat()
    {
        var evidence = new List<string>();
        bool holds = true;
        foreach (var task in StudyPlan.FineTuneTasks)
        {
            var curve = Checkpoints.Select(c => M.Score(ModelRef.Base(c), task.EvalSet)).ToList();
            double limit = task.IsGeneration ? GenerationFloor : 1.0 / M.Study.Datasets.Resolve(task.EvalSet).Task.Labels.Count + ChanceMargin;
            bool flat = curve.All(e => e.Mean <= limit);
            holds &= flat;
            evidence.Add($"{task.EvalSet} {task.Metric}: {string.Join(" → ", curve.Select(e => e.Mean.ToString("0.00")))} (limit {limit:0.00}: {(flat ? "flat" : "exceeded")})");
        }
        return new Verdict("the fine-tuning tasks stay at chance / floor for the base model", holds, evidence);
    }

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
