using AmuroChar.Study;
using AmuroChar.Training;
using Spectre.Console;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// Shows every long phase (pre-training, fine-tuning, evaluation) as a progress bar with steps, tokens/s, loss and an
/// ETA, on stderr so stdout keeps only the command's result (JSON, paths) for pipes. When stderr is not a terminal
/// (a log file, CI), it prints plain lines instead, one per phase or 30 s. Reports may arrive from worker threads;
/// each phase gets its own bar the first time it reports.
/// </summary>
sealed class ProgressDisplay : IProgress<TrainingProgress>, IProgress<JobProgress>
{
    readonly ProgressContext _context;
    readonly Dictionary<string, ProgressTask> _tasks = new();

    ProgressDisplay(ProgressContext context) => _context = context;

    public static T Run<T>(Func<IProgress<TrainingProgress>, T> work)
    {
        var relay = new ProgressRelay();
        return Run(relay, () => work(relay));
    }

    /// <summary>Runs <paramref name="work"/> with the display attached to <paramref name="relay"/>, which the
    /// inputs were built with beforehand (so arguments are checked before the display starts).</summary>
    public static T Run<T>(ProgressRelay relay, Func<T> work)
    {
        if (Console.IsErrorRedirected)
        {
            relay.Target = new ProgressLines(Console.Error.WriteLine);
            return work();
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                relay.Target = new ProgressDisplay(ctx);
                try { return work(); }
                finally { relay.Target = null; }
            });
    }

    public void Report(TrainingProgress p) =>
        Update(p.Phase, p.Step, p.TotalSteps, $"[grey]step {p.Step}/{p.TotalSteps}  loss {p.Loss:F3}  {p.TokensPerSecond:F0} tok/s[/]");

    public void Report(JobProgress p) => Update(p.Phase, p.Done, Math.Max(1, p.Total), $"[grey]{p.Done}/{p.Total} jobs[/]");

    void Update(string phase, double value, double max, string detail)
    {
        lock (_tasks)
        {
            if (!_tasks.TryGetValue(phase, out var task))
                _tasks[phase] = task = _context.AddTask(Markup.Escape(phase), maxValue: max);
            task.MaxValue = max;
            task.Value = value;
            task.Description = $"{Markup.Escape(phase)} {detail}";
        }
    }
}

/// <summary>Forwards progress to whatever display is attached (none yet: reports are dropped).</summary>
sealed class ProgressRelay : IProgress<TrainingProgress>, IProgress<JobProgress>
{
    public object? Target { get; set; }
    public void Report(TrainingProgress value) => (Target as IProgress<TrainingProgress>)?.Report(value);
    public void Report(JobProgress value) => (Target as IProgress<JobProgress>)?.Report(value);
}
