using AmuroChar.Findings;
using AmuroChar.Study;

namespace AmuroChar.Grid;

/// <summary>The stages of a study, in dependency order: each needs everything of the one before.</summary>
public enum GridStage { Pretrain, Finetune, Evaluate, Judge }

/// <summary>
/// One unit of work a scheduler runs as one array task: the pre-training run (all checkpoints), one fine-tuned or
/// instruction-tuned model, every evaluation of one model (so a model is loaded once per cell), or the judgement.
/// </summary>
public sealed record GridCell(string Id, GridStage Stage, ModelRef? Model, IReadOnlyList<Requirement> Evaluations)
{
    public static string StageName(GridStage stage) => stage.ToString().ToLowerInvariant();

    public static GridStage ParseStage(string name) =>
        Enum.GetValues<GridStage>().FirstOrDefault(s => StageName(s) == name) is var s && StageName(s) == name
            ? s : throw new ArgumentException($"unknown stage '{name}'; stages: {string.Join(", ", Enum.GetValues<GridStage>().Select(StageName))}");
}
