using AmuroChar.Evaluation;
using AmuroChar.Randomness;
using AmuroChar.Tasks;

namespace AmuroChar.Study;

/// <summary>
/// Faults the baseline tests inject into a study, to prove that the committed baselines hold everything the verdicts
/// read: each is a bug this kind of project has had or could have, and a snapshot comparison must name a metric it
/// moves. Internal (visible to the unit tests only) and never set by any command; a faulted result is stored under
/// its own key (<see cref="WithFault"/>), so it can never be read back as a clean one.
/// </summary>
internal enum StudyFault
{
    None,
    /// <summary>Instruction-tuned models reply nothing (the empty-reply bug this project once had).</summary>
    EmptyInstructionReplies,
    /// <summary>Fine-tuning starts from the scale's first fine-tuned checkpoint, whatever checkpoint was asked for.</summary>
    FineTuneIgnoresCheckpoint,
    /// <summary>The gold labels of one evaluation set (<see cref="StudyFaults.ShuffledSet"/>) are shuffled.</summary>
    ShuffledLabels,
    /// <summary>Base models answer every classification item with the task's first label.</summary>
    ConstantBase,
}

internal static class StudyFaults
{
    /// <summary>The set whose labels <see cref="StudyFault.ShuffledLabels"/> shuffles.</summary>
    public const string ShuffledSet = "mnli_matched";

    /// <summary>A faulted result's key names its fault; without one the key has no such component (clean keys are
    /// what they would be without this class).</summary>
    public static AmuroChar.Results.ResultKey WithFault(this AmuroChar.Results.ResultKey key, StudyFault fault) =>
        fault == StudyFault.None ? key : key.With("fault", fault.ToString());

    /// <summary>An evaluation result as the fault would have made it (re-scored from its items, intervals with the
    /// evaluator's bootstrap seed); unchanged where the fault does not reach.</summary>
    public static EvalResult Apply(this StudyFault fault, EvalResult result, ModelRef model, TaskDefinition task, int bootstrapSeed = Bootstrap.DefaultSeed)
    {
        var items = result.Items;
        switch (fault)
        {
            case StudyFault.EmptyInstructionReplies when model.FineTunedOn == ModelRef.Instruction && task.Kind is TaskKind.Chat or TaskKind.Generation:
                items = items.Select(i => i with { Prediction = "", Score = 0 }).ToList();
                break;
            case StudyFault.ShuffledLabels when result.Dataset.StartsWith(ShuffledSet + "/", StringComparison.Ordinal) && task.Kind == TaskKind.Classification:
                var rng = Rng.For(7, "fault:shuffled-labels");
                var gold = items.Select(i => i.Reference).ToArray();
                for (int k = gold.Length - 1; k > 0; k--) { int j = rng.Next(k + 1); (gold[k], gold[j]) = (gold[j], gold[k]); }
                items = items.Select((i, k) => i with { Reference = gold[k], Score = i.Prediction == gold[k] ? 1 : 0 }).ToList();
                break;
            case StudyFault.ConstantBase when model.IsBase && task.Kind == TaskKind.Classification:
                items = items.Select(i => i with { Prediction = task.Labels[0], Score = i.Reference == task.Labels[0] ? 1 : 0 }).ToList();
                break;
            default:
                return result;
        }
        var metrics = new Dictionary<string, Estimate>(result.Metrics)
        {
            [task.Metric] = Bootstrap.MeanCi(items.Select(i => i.Score).ToList(), bootstrapSeed),
        };
        var shares = result.LabelShare.Count == 0 ? result.LabelShare
            : result.LabelShare.Keys.ToDictionary(l => l, l => items.Count(i => i.Prediction == l) / (double)items.Count);
        return result with { Metrics = metrics, LabelShare = shares, Items = items };
    }
}
