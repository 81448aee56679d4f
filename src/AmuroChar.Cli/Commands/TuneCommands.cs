using System.ComponentModel;
using AmuroChar.Model;
using AmuroChar.Study;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Fine-tunes one checkpoint of the study on a dataset's training split (stored and reused).</summary>
sealed class FinetuneCommand : Command<FinetuneCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--step <N>"), Description("The pre-training checkpoint: a step of the scale, or main (the paper scale's final model).")]
        public string StepText { get; init; } = "0";

        public int Step => AmuroChar.Checkpoints.CheckpointStep.Parse(StepText);

        [CommandOption("--dataset <NAME>"), Description("Training set: xsum, socialiqa, mnli or paws.")]
        public string Dataset { get; init; } = "";

        [CommandOption("--seed <N>"), Description("Fine-tuning seed (data order).")]
        public long Seed { get; init; } = 42;

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Dataset) ? Spectre.Console.ValidationResult.Error("--dataset NAME is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation) =>
        TuneCommand.Run(s, ModelRef.FineTuned(s.Step, s.Dataset, s.Seed));
}

/// <summary>Instruction-tunes one checkpoint on the Tulu analogue in the chat format (stored and reused).</summary>
sealed class InstructCommand : Command<InstructCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--step <N>"), Description("The pre-training checkpoint: a step of the scale, or main (the paper scale's final model).")]
        public string StepText { get; init; } = "0";

        public int Step => AmuroChar.Checkpoints.CheckpointStep.Parse(StepText);

        [CommandOption("--seed <N>"), Description("Instruction-tuning seed (data order); the scales use 42, 43, 44. Default 42.")]
        public long Seed { get; init; } = 42;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation) =>
        TuneCommand.Run(s, ModelRef.InstructionTuned(s.Step, s.Seed));
}

/// <summary>What fine-tuning and instruction tuning share: every argument checked, and room to store the model
/// made sure of, before any training starts (a trained model that can't be written is lost).</summary>
static class TuneCommand
{
    public static int Run(StudySettings s, ModelRef model)
    {
        var store = s.OpenStore();
        var relay = new ProgressRelay();
        var study = new AmuroChar.Study.StudyEngine(s.Inputs(store, relay), store, relay);
        study.Check(model);
        if (!study.IsStored(model))
        {
            OutputPaths.RequireWritableFolder(store.Root, "the result store");
            OutputPaths.RequireFreeSpace(store.Root, 2 * StoredModelBytes(study), "the result store", $"to store the {model} model");
        }
        string dir = ProgressDisplay.Run(relay, () => study.ModelDirectory(model));
        Console.WriteLine(dir);
        return 0;
    }

    /// <summary>
    /// What a tuned model's store entry holds: its weights at the scale's real vocabulary (the preset's placeholder
    /// vocabulary undercounted: "needs about 0.2 MiB" for a 272 KiB entry), its tokenizer.json as written, and the
    /// config and safetensors header (a few KiB).
    /// </summary>
    internal static long StoredModelBytes(AmuroChar.Study.StudyEngine study)
    {
        var tokenizer = study.Inputs.Tokenizer;
        var config = OlmoConfig.Preset(study.Scale.ModelPreset).WithVocabularyFor(tokenizer.VocabularySize, tokenizer.EosId, tokenizer.PadId);
        long weights = OlmoParameterShapes.Expected(config).Values.Sum(shape => shape.Aggregate(1L, (a, b) => a * b)) * sizeof(float);
        string temporary = Path.Combine(Path.GetTempPath(), $"amurochar-tokenizer-{Guid.NewGuid():N}.json");
        try
        {
            tokenizer.Save(temporary);
            return weights + new FileInfo(temporary).Length + 64 * 1024;
        }
        finally { File.Delete(temporary); }
    }
}
