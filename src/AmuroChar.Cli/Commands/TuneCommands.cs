using System.ComponentModel;
using AmuroChar.Study;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Fine-tunes one checkpoint of the study on a dataset's training split (stored and reused).</summary>
sealed class FinetuneCommand : Command<FinetuneCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--step <N>"), Description("The pre-training checkpoint (a step of the scale).")]
        public int Step { get; init; }

        [CommandOption("--dataset <NAME>"), Description("Training set: xsum, socialiqa, mnli or paws.")]
        public string Dataset { get; init; } = "";

        [CommandOption("--seed <N>"), Description("Fine-tuning seed (data order).")]
        public long Seed { get; init; } = 42;

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Dataset) ? Spectre.Console.ValidationResult.Error("--dataset NAME is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var store = s.OpenStore();
        string dir = ProgressDisplay.Run(progress =>
            new AmuroChar.Study.Study(s.Inputs(store, progress), store, progress).ModelDirectory(ModelRef.FineTuned(s.Step, s.Dataset, s.Seed)));
        Console.WriteLine(dir);
        return 0;
    }
}

/// <summary>Instruction-tunes one checkpoint on the Tulu analogue in the chat format (stored and reused).</summary>
sealed class InstructCommand : Command<InstructCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--step <N>"), Description("The pre-training checkpoint (a step of the scale).")]
        public int Step { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var store = s.OpenStore();
        string dir = ProgressDisplay.Run(progress =>
            new AmuroChar.Study.Study(s.Inputs(store, progress), store, progress).ModelDirectory(ModelRef.InstructionTuned(s.Step)));
        Console.WriteLine(dir);
        return 0;
    }
}
