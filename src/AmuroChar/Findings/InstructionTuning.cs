using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 6. Instruction tuning (the Tulu analogue) changes the learned-in-pre-training suites little, at every
/// checkpoint: the mean change over the suites stays within ±0.05 (its 95% CI).
/// </summary>
public sealed class InstructionTuning(Measurements m) : Finding(m)
{
    public const double Little = 0.05;

    public override string Id => "instruction_tuning";
    public override string Title => "Instruction tuning changes the suites learned in pre-training little, at every checkpoint";
    public override string PaperSays => "Mean Tulu gain on learned suites .048 .048 .004 .010 .030 .027 .021 −.005 over checkpoints; HellaSwag < +.025; BoolQ .51–.62 → .68–.70 from 342k.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var s in StudyPlan.LearnedSuites)
        {
            metrics[$"{s}/base"] = M.Score(ModelRef.Base(step), s);
            metrics[$"{s}/instruction_tuned"] = M.Score(ModelRef.InstructionTuned(step), s);
            metrics[$"{s}/change"] = M.InstructionGain(step, s);
        }
        return metrics;
    }

    public override IEnumerable<Requirement> Requires() =>
        Require.Base(Checkpoints, StudyPlan.LearnedSuites).Concat(Require.Instructed(Checkpoints, StudyPlan.LearnedSuites));

    public override IReadOnlyList<Verdict> Judge()
    {
        var evidence = new List<string>();
        bool holds = true;
        foreach (int c in Checkpoints)
        {
            var diffs = StudyPlan.LearnedSuites.Select(s =>
            {
                var a = Measurements.Items(M.Result(ModelRef.InstructionTuned(c), s));
                var b = M.BaseItems(c, s);
                return (IReadOnlyList<double>)a.Select((x, i) => x - b[i]).ToList();
            }).ToList();
            var mean = GroupBootstrap.MeanOfMeansDifference(diffs, [[0.0]], seed: 20240814);
            bool little = mean.Lo >= -Little && mean.Hi <= Little;
            holds &= little;
            evidence.Add($"step {c}: mean change {Fmt(mean)} ({(little ? "within" : "outside")} ±{Little}); " +
                string.Join(", ", StudyPlan.LearnedSuites.Select(s => $"{s} {Signed(M.InstructionGain(c, s).Mean, 2)}")));
        }
        return [new Verdict("instruction tuning changes the learned suites little at every checkpoint", holds, evidence)];
    }

    public override IReadOnlyList<string> Plot(string directory) =>
    [
        Figures.GroupedBars(Path.Combine(directory, "instruction-tuning.png"), "Instruction tuning: change on the suites learned in pre-training", "instruction-tuned − base",
            StudyPlan.LearnedSuites.ToList(),
            Checkpoints.Select(c => new BarSeries($"step {c}", StudyPlan.LearnedSuites.Select(s => { var e = M.InstructionGain(c, s); return new BarValue(e.Mean, e.Lo, e.Hi); }).ToList())).ToList()),
    ];
}
