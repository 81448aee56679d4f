using AmuroChar.Checkpoints;
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
    /// <summary>"Little": within ±0.05 (<see cref="Equivalence"/>). The paper's mean Tulu gain on the learned
    /// suites is .048 .048 .004 .010 .030 .027 .021 −.005 over its checkpoints: at most .048.</summary>
    public const double Little = 0.05;

    /// <summary>The positive control's effect: the held-out gain's lower 95% bound is at least the effect we call
    /// "far" for fine-tuning (<see cref="LatentImprovementVerdicts.FarGain"/>, half the paper's smallest
    /// fine-tuning gain), so "little" on the suites is measured against a tuning that demonstrably did something.</summary>
    public const double ControlGain = LatentImprovementVerdicts.FarGain;

    /// <summary>A learned suite: instruction-tuned vs base, and whether the base model discriminates it at each checkpoint.</summary>
    public sealed record Suite(PairedCurve Curve, IReadOnlyList<Discrimination> Base);

    /// <summary>At every checkpoint the suites whose base model discriminates change "little" (<see cref="Equivalence"/>:
    /// the pooled change within ±<see cref="Little"/>, no suite beyond it, each suite weighing equally), and the
    /// instruction-tuned model's gain on the held-out instruction items is at least <see cref="ControlGain"/>.</summary>
    public static Verdict ChangesLearnedSuitesLittle(IReadOnlyList<Suite> suites, PairedCurve heldOutInstructions)
    {
        if (suites.Count == 0) throw new ArgumentException("no learned suites to judge");
        var steps = heldOutInstructions.Tuned.Steps;
        if (suites.Any(s => !s.Curve.Tuned.Steps.SequenceEqual(steps) || s.Base.Count != steps.Count))
            throw new ArgumentException("the suites, their base models' discrimination and the positive control must be measured at the same checkpoints");
        var gains = suites.Select(s => s.Curve.Gain).ToList();
        var control = heldOutInstructions.Gain;
        var clauses = new List<Clause>();
        var context = new List<string>
        {
            $"positive control ({heldOutInstructions.Name}, held-out instruction items): base {heldOutInstructions.Base.Describe()}, instruction-tuned {heldOutInstructions.Tuned.Describe()}",
        };
        for (int i = 0; i < steps.Count; i++)
        {
            var cells = suites.Select((s, k) => new Equivalence.GatedCell(s.Curve.Name, gains[k].Cells[i], s.Base[i])).ToList();
            var (little, leftOut) = Equivalence.Judge($"{CheckpointStep.Name(steps[i])}: ", "suite", cells, Little, skipWhenNone: true);
            clauses.AddRange(little);
            context.AddRange(leftOut);
            context.Add($"{CheckpointStep.Name(steps[i])} change by suite: " + string.Join(", ", suites.Select((s, k) => $"{s.Curve.Name} {Signed(gains[k].Means[i], 3)}")));
            var ctl = control.Mean(i);
            clauses.Add(Clause.Judge($"{CheckpointStep.Name(steps[i])}: control effective", Statistics.AtLeast(ctl, ControlGain),
                $"{heldOutInstructions.Name} instruction-tuned − base {Fmt(ctl)} (lower bound ≥ {ControlGain}?)"));
        }
        if (!clauses.Any(c => !c.Name.EndsWith("control effective")))
            clauses.Insert(0, Clause.Untestable("suites change little", "at no checkpoint does the base model discriminate any suite, so no change can be seen"));
        return new Verdict("changes_learned_suites_little",
            "instruction tuning learns its own held-out instructions yet changes the learned suites little, at every checkpoint", clauses, context);
    }
}
