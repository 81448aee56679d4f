using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Plots;

namespace AmuroChar.Findings;

/// <summary>
/// Recorded as the paper does, not a claim: the fine-tuned classification models scored by next-word constrained
/// prediction (the paper's default), by free greedy generation matched to the label words, and by ranking each
/// label's log-likelihood.
/// </summary>
public sealed class PredictionMethods(Measurements m) : Finding(m)
{
    static readonly string[] Compared = [Methods.NextWord, Methods.Generate, Methods.Ranked];

    public override string Id => "prediction_methods";
    public override string Title => "Prediction methods for the classification tasks (recorded)";
    public override string PaperSays => "The paper's default is next-word constrained prediction; it also reports free generation and constrained beam search.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var t in StudyPlan.Classification)
            foreach (var method in Compared)
                metrics[$"{t.EvalSet}/{method}"] = M.FineTunedScore(step, t.TrainSet, t.EvalSet, method: method);
        return metrics;
    }

    public override IReadOnlyList<Claim> Claims =>
    [
        Records("scores_by_method", "Classification scores by prediction method (recorded)",
            () => Verdict.Recorded("scores_by_method", "prediction methods (recorded, not asserted)",
                StudyPlan.Classification.SelectMany(t => Compared.Select(method =>
                    $"{t.EvalSet} {method}: " + string.Join(", ", Checkpoints.Select(c => $"{CheckpointStep.Name(c)} {M.FineTunedScore(c, t.TrainSet, t.EvalSet, method: method).Mean:0.000}")))).ToList())),
    ];

    public override IReadOnlyList<string> Plot(string directory) =>
        StudyPlan.Classification.Select(t => Figures.LinesOverCheckpoints(Path.Combine(directory, $"methods-{t.EvalSet}.png"), $"{t.Name}: prediction methods after fine-tuning", "accuracy",
            Compared.Select(method => new Series(method, Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.FineTunedScore(c, t.TrainSet, t.EvalSet, method: method))).ToList())).ToList())).ToList();
}
