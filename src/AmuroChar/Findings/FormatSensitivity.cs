using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 5. "Sensitivity to evaluation prompts after supervised fine-tuning can be reduced by more pre-training":
/// models fine-tuned in the default format score lower in the instruct and input-output formats, and that gap
/// shrinks with more pre-training.
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
            foreach (var f in OtherFormats)
            {
                metrics[$"{t.EvalSet}/{f}"] = M.FineTunedScore(step, t.TrainSet, t.EvalSet, f);
                metrics[$"{t.EvalSet}/gap_{f}"] = Gap(step, t, f);
            }
        }
        return metrics;
    }

    /// <summary>Default-format score minus the other format's, same fine-tuned model, same items.</summary>
    Estimate Gap(int step, FineTuneTask t, string format) =>
        Measurements.Difference(M.FineTunedItems(step, t.TrainSet, t.EvalSet), M.FineTunedItems(step, t.TrainSet, t.EvalSet, format));

    public override IEnumerable<Requirement> Requires() =>
        StudyPlan.FormatTasks.SelectMany(t => new[] { "default" }.Concat(OtherFormats).SelectMany(f => Require.FineTuned(M, Checkpoints, t.TrainSet, [t.EvalSet], f)));

    public override IReadOnlyList<Verdict> Judge() => [FineTunedModelsAreFormatSensitive(), GapShrinksWithPretraining()];

    /// <summary>At the last checkpoint the mean gap over tasks and formats is positive with 95% confidence.</summary>
    public Verdict FineTunedModelsAreFormatSensitive()
    {
        int last = Checkpoints[^1];
        var gaps = new List<IReadOnlyList<double>>();
        var evidence = new List<string>();
        foreach (var t in StudyPlan.FormatTasks)
            foreach (var f in OtherFormats)
            {
                var a = M.FineTunedItems(last, t.TrainSet, t.EvalSet);
                var b = M.FineTunedItems(last, t.TrainSet, t.EvalSet, f);
                gaps.Add(a.Select((x, i) => x - b[i]).ToList());
                evidence.Add($"{t.EvalSet} default − {f}: {Fmt(Gap(last, t, f))}");
            }
        var pooled = GroupBootstrap.MeanOfMeansDifference(gaps, [[0.0]], seed: 20240814);
        evidence.Insert(0, $"step {last}: mean gap {Fmt(pooled)}");
        return new Verdict("fine-tuned models score lower in formats other than the training format", pooled.IsPositive, evidence);
    }

    /// <summary>The mean gap correlates negatively with the step (Spearman ρ &lt; 0), and the gap at the last checkpoint
    /// is smaller than at the checkpoint where it was largest (paired bootstrap, 95%).</summary>
    public Verdict GapShrinksWithPretraining()
    {
        var means = Checkpoints.Select(c => StudyPlan.FormatTasks.SelectMany(t => OtherFormats.Select(f => Gap(c, t, f).Mean)).Average()).ToList();
        double rho = Statistics.Spearman(Checkpoints.Select(c => (double)c).ToList(), means);
        int peak = Checkpoints[means.IndexOf(means.Max())], last = Checkpoints[^1];
        var diffs = new List<IReadOnlyList<double>>();
        foreach (var t in StudyPlan.FormatTasks)
            foreach (var f in OtherFormats)
            {
                IReadOnlyList<double> GapItems(int c)
                {
                    var a = M.FineTunedItems(c, t.TrainSet, t.EvalSet);
                    var b = M.FineTunedItems(c, t.TrainSet, t.EvalSet, f);
                    return a.Select((x, i) => x - b[i]).ToList();
                }
                var gl = GapItems(last);
                var gp = GapItems(peak);
                diffs.Add(gp.Select((x, i) => x - gl[i]).ToList());
            }
        var shrink = GroupBootstrap.MeanOfMeansDifference(diffs, [[0.0]], seed: 20240814);
        var evidence = new List<string>
        {
            $"mean gap by step: {string.Join(", ", Checkpoints.Select((c, i) => $"{c}: {Signed(means[i])}"))}; Spearman ρ(step, gap) = {Signed(rho, 2)}",
            $"largest gap at step {peak}; gap there − gap at step {last} = {Fmt(shrink)}",
        };
        return new Verdict("the format gap shrinks with more pre-training", rho < 0 && (peak == last ? false : shrink.IsPositive), evidence);
    }

    public override IReadOnlyList<string> Plot(string directory) =>
        StudyPlan.FormatTasks.Select(t => Figures.LinesOverCheckpoints(Path.Combine(directory, $"formats-{t.EvalSet}.png"), $"{t.Name} fine-tuned in the default format, evaluated in each format", "accuracy",
            new[] { "default" }.Concat(OtherFormats).Select(f => new Series(f, Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.FineTunedScore(c, t.TrainSet, t.EvalSet, f))).ToList())).ToList())).ToList();
}
