using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Plots;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Finding 6. Instruction tuning (the Tulu analogue) changes the learned-in-pre-training suites little, at every
/// checkpoint — and, as a positive control, does change what it was tuned for: it beats its base model on held-out
/// instructions in the chat format (<see cref="InstructionTuningVerdicts"/>).
/// </summary>
public sealed class InstructionTuning(Measurements m) : Finding(m)
{
    public override string Id => "instruction_tuning";
    public override string Title => "Instruction tuning learns its own held-out instructions yet changes the suites learned in pre-training little, at every checkpoint";
    public override string PaperSays => "Mean Tulu gain on learned suites .048 .048 .004 .010 .030 .027 .021 −.005 over checkpoints; HellaSwag < +.025; BoolQ .51–.62 → .68–.70 from 342k.";
    public override IReadOnlyList<int> Checkpoints => M.FineTuneCheckpoints;

    public override IReadOnlyDictionary<string, Estimate> Measure(int step)
    {
        var metrics = new Dictionary<string, Estimate>();
        foreach (var s in StudyPlan.LearnedSuites)
        {
            metrics[$"{s}/base"] = M.Score(ModelRef.Base(step), s);
            metrics[$"{s}/instruction_tuned"] = M.InstructedScore(step, s);
            metrics[$"{s}/change"] = M.InstructionGain(step, s);
            metrics[$"{s}/base_balanced_accuracy"] = M.BaseDiscrimination(step, s).BalancedAccuracy;   // what "little" is gated on
        }
        // The positive control the verdict reads: without it in the baseline, instruction tuning that stopped working
        // (empty replies, say) would leave every suite's ranked score, and so every baseline, unchanged.
        string control = StudyPlan.HeldOutInstructions;
        metrics[$"{control}/base"] = M.Score(ModelRef.Base(step), control);
        metrics[$"{control}/instruction_tuned"] = M.InstructedScore(step, control);
        metrics[$"{control}/change"] = M.InstructionGain(step, control);
        return metrics;
    }

    public override IReadOnlyList<Claim> Claims =>
    [
        // With the held-out instructions as the positive control.
        Asserts("changes_learned_suites_little", "Instruction tuning learns held-out instructions yet changes the learned suites little",
            () => InstructionTuningVerdicts.ChangesLearnedSuitesLittle(
                StudyPlan.LearnedSuites.Select(s => new InstructionTuningVerdicts.Suite(M.InstructedVsBase(Checkpoints, s),
                    Checkpoints.Select(c => M.BaseDiscrimination(c, s)).ToList())).ToList(),
                M.InstructedVsBase(Checkpoints, StudyPlan.HeldOutInstructions))),
    ];

    public override IReadOnlyList<string> Plot(string directory) =>
    [
        Figures.GroupedBars(Path.Combine(directory, "instruction-tuning.png"), "Instruction tuning: change on the suites learned in pre-training", "instruction-tuned − base",
            StudyPlan.LearnedSuites.ToList(),
            Checkpoints.Select(c => new BarSeries(CheckpointStep.Name(c), StudyPlan.LearnedSuites.Select(s => { var e = M.InstructionGain(c, s); return new BarValue(e.Mean, e.Lo, e.Hi); }).ToList())).ToList()),
        Figures.LinesOverCheckpoints(Path.Combine(directory, "instruction-tuning-control.png"), "Positive control: held-out instructions (chat format)", "ROUGE-L",
        [
            new("instruction-tuned", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.InstructedScore(c, StudyPlan.HeldOutInstructions))).ToList()),
            new("base", Checkpoints.Select(c => DichotomyInPretraining.Point(c, M.Score(ModelRef.Base(c), StudyPlan.HeldOutInstructions))).ToList()),
        ]),
    ];
}
