using static AmuroChar.Findings.Show;

namespace AmuroChar.Findings;

/// <summary>
/// The verdict of finding 6 on plain numbers. "Changes the learned suites little" only means something if the
/// instruction tuning changed the model at all: an instruction tuning that did nothing would pass it trivially. So
/// the claim carries a positive control: at every checkpoint the instruction-tuned model must beat its base model
/// on held-out items of its own (Tulu-analogue) data, in its chat format, by a real effect.
/// </summary>
public static class InstructionTuningVerdicts
{
    /// <summary>"Little": the pooled change's 95% CI lies within ±0.05. The paper's mean Tulu gain on the learned
    /// suites is .048 .048 .004 .010 .030 .027 .021 −.005 over its checkpoints: at most .048.</summary>
    public const double Little = 0.05;

    /// <summary>The positive control's effect: the held-out gain's lower 95% bound is at least the effect we call
    /// "far" for fine-tuning (<see cref="LatentImprovementVerdicts.FarGain"/>, half the paper's smallest
    /// fine-tuning gain), so "little" on the suites is measured against a tuning that demonstrably did something.</summary>
    public const double ControlGain = LatentImprovementVerdicts.FarGain;

    /// <summary>At every checkpoint the mean change over the learned suites (each suite weighing equally) lies
    /// within ±<see cref="Little"/>, and the instruction-tuned model's gain on the held-out instruction items is at
    /// least <see cref="ControlGain"/>.</summary>
    public static Verdict ChangesLearnedSuitesLittle(IReadOnlyList<PairedCurve> suites, PairedCurve heldOutInstructions)
    {
        if (suites.Count == 0) throw new ArgumentException("no learned suites to judge");
        var steps = heldOutInstructions.Tuned.Steps;
        if (suites.Any(s => !s.Tuned.Steps.SequenceEqual(steps))) throw new ArgumentException("the suites and the positive control must be measured at the same checkpoints");
        var gains = suites.Select(s => s.Gain).ToList();
        var control = heldOutInstructions.Gain;
        var clauses = new List<Clause>();
        for (int i = 0; i < steps.Count; i++)
        {
            var mean = HierarchicalBootstrap.MeanOfMeans(gains.Select(g => g.Cells[i]).ToList());
            var ctl = control.Mean(i);
            clauses.Add(Clause.Judge($"step {steps[i]}: suites change little", Statistics.Within(mean, Little),
                $"mean change {Fmt(mean)} (within ±{Little}?); " + string.Join(", ", gains.Select(g => $"{g.Name.Replace(" gain", "")} {Signed(g.Means[i], 2)}"))));
            clauses.Add(Clause.Judge($"step {steps[i]}: control effective", Statistics.AtLeast(ctl, ControlGain),
                $"{heldOutInstructions.Name} instruction-tuned − base {Fmt(ctl)} (lower bound ≥ {ControlGain}?)"));
        }
        return new Verdict("instruction_tuning_changes_suites_little",
            "instruction tuning learns its own held-out instructions yet changes the learned suites little, at every checkpoint", clauses,
            [$"positive control ({heldOutInstructions.Name}, held-out instruction items): base {heldOutInstructions.Base.Describe()}, instruction-tuned {heldOutInstructions.Tuned.Describe()}"]);
    }
}
