using AmuroChar.Training;
using Spectre.Console;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// Shows every long phase (pre-training, fine-tuning, evaluation) as a progress bar with steps, tokens/s, loss and an
/// ETA. Reports may arrive from worker threads; each phase gets its own bar the first time it reports.
/// </summary>
sealed class ProgressDisplay : IProgress<TrainingProgress>
{
    readonly ProgressContext _context;
    readonly Dictionary<string, ProgressTask> _tasks = new();

    ProgressDisplay(ProgressContext context) => _context = context;

    public static T Run<T>(Func<IProgress<TrainingProgress>, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx => work(new ProgressDisplay(ctx)));

    public void Report(TrainingProgress p)
    {
        lock (_tasks)
        {
            if (!_tasks.TryGetValue(p.Phase, out var task))
                _tasks[p.Phase] = task = _context.AddTask(p.Phase, maxValue: p.TotalSteps);
            task.MaxValue = p.TotalSteps;
            task.Value = p.Step;
            task.Description = $"{Markup.Escape(p.Phase)} [grey]step {p.Step}/{p.TotalSteps}  loss {p.Loss:F3}  {p.TokensPerSecond:F0} tok/s[/]";
        }
    }
}
