using System.Diagnostics;
using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>How far a phase of independent jobs (pre-train, fine-tune, evaluate) has got.</summary>
public sealed record JobProgress(string Phase, int Done, int Total);

/// <summary>
/// Progress as plain lines for logs, pipes and test runners, where a live bar can't be drawn: a line when a phase of
/// jobs starts or ends, and otherwise at most one line per interval (default 30 s) with the elapsed time, the jobs
/// done and the latest training step. Reports may come from several threads.
/// </summary>
public sealed class ProgressLines : IProgress<TrainingProgress>, IProgress<JobProgress>
{
    readonly Action<string> _write;
    readonly TimeSpan _interval;
    readonly Func<TimeSpan> _clock;
    readonly object _gate = new();
    TimeSpan? _lastLine;
    JobProgress? _jobs;
    TrainingProgress? _training;

    public ProgressLines(Action<string> write, TimeSpan? interval = null, Func<TimeSpan>? clock = null)
    {
        _write = write;
        _interval = interval ?? TimeSpan.FromSeconds(30);
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        _clock = clock;
    }

    public void Report(JobProgress value)
    {
        lock (_gate)
        {
            if (_jobs?.Phase != value.Phase) _training = null;   // the last phase's training step no longer applies
            _jobs = value;
            Emit(force: value.Done == 0 || value.Done == value.Total);
        }
    }

    public void Report(TrainingProgress value)
    {
        lock (_gate)
        {
            _training = value;
            Emit(force: false);
        }
    }

    void Emit(bool force)
    {
        var now = _clock();
        if (!force && _lastLine is { } last && now - last < _interval) return;
        _lastLine = now;
        var parts = new List<string>();
        if (_jobs is { } j) parts.Add(j.Done == j.Total ? $"{j.Phase}: {j.Total} job{(j.Total == 1 ? "" : "s")} done" : $"{j.Phase}: {j.Done}/{j.Total} jobs done");
        if (_training is { } t && !(_jobs is { } done && done.Done == done.Total))
            parts.Add(FormattableString.Invariant($"{t.Phase} step {t.Step}/{t.TotalSteps}, loss {t.Loss:F3}, {t.TokensPerSecond:F0} tok/s"));
        _write($"[{(int)now.TotalMinutes:00}:{now.Seconds:00}] {string.Join("; ", parts)}");
    }
}
