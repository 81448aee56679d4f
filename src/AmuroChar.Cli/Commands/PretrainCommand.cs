using AmuroChar.Study;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Trains the tiny world's tokenizer and pre-trains its model, saving every checkpoint (resumes if killed).</summary>
sealed class PretrainCommand : Command<StudySettings>
{
    public override int Execute(CommandContext context, StudySettings s, CancellationToken cancellation)
    {
        var store = s.OpenStore();
        var inputs = ProgressDisplay.Run(progress =>
        {
            var inputs = s.Inputs(store, progress);
            foreach (int step in inputs.Checkpoints) inputs.CheckpointDirectory(step);
            return inputs;
        });
        foreach (int step in inputs.Checkpoints) Console.WriteLine($"{AmuroChar.Checkpoints.CheckpointStep.Name(step)}\t{inputs.CheckpointDirectory(step)}");
        return 0;
    }
}
