using System.Text;
using AmuroChar.Results;

namespace AmuroChar.Grid;

/// <summary>Where one cell stands: from the store (done) and the scheduler (pending, running, how it ended).</summary>
public sealed record CellStatus(GridCell Cell, int Index, string State, string Detail, string? Task, string? Log);

/// <summary>
/// A study's cells as Slurm job arrays, one per stage, each stage <c>afterok</c> on the one before; every array task
/// runs one cell (<c>amurochar grid run-cell</c>). Submitting again submits only the cells the store doesn't hold, so
/// it is also how failed cells are resubmitted.
/// </summary>
public sealed class SlurmGrid(GridFolder folder, GridPlanner planner, IReadOnlyList<string> command)
{
    /// <summary>Extra #SBATCH lines (partition, account, constraint…), given by the user.</summary>
    public IReadOnlyList<string> ExtraDirectives { get; init; } = [];
    public int CpusPerTask { get; init; } = 1;

    public IReadOnlyList<GridFolder.Submission> Submit(TextWriter log)
    {
        var spec = folder.ReadSpec();
        var cells = folder.ReadCells();
        var store = new ResultStore(spec.Store);
        var status = Status(store, cells);
        var busy = status.Where(s => s.State is "running" or "pending").ToList();
        if (busy.Count > 0)
            throw new InvalidOperationException($"{busy.Count} cells are still queued or running (e.g. {busy[0].Cell.Id}: {busy[0].State} {busy[0].Detail}); " +
                                                "wait for them or scancel them, then submit again");
        // Tasks whose afterok can never be met (a cell before them failed) would wait forever: cancel them, then resubmit.
        var stuck = status.Where(s => s.State == "blocked").Select(s => s.Task!.Split('_')[0]).Distinct().ToList();
        if (stuck.Count > 0) { Slurm.Cancel(stuck); log.WriteLine($"cancelled jobs waiting on failed cells: {string.Join(", ", stuck)}"); }

        Directory.CreateDirectory(folder.Scripts);
        Directory.CreateDirectory(folder.Logs);
        var submitted = new List<GridFolder.Submission>();
        string? previous = null;
        foreach (var stage in Enum.GetValues<GridStage>())
        {
            var stageCells = cells.Stage(stage);
            var todo = status.Where(s => s.Cell.Stage == stage && s.State != "done").Select(s => s.Index).ToList();
            if (todo.Count == 0) { log.WriteLine($"{GridCell.StageName(stage),-9} all {stageCells.Count} cells done"); continue; }
            var resources = StageResources.For(planner, planner.Costs(stageCells), CpusPerTask);
            string script = Path.Combine(folder.Scripts, $"{GridCell.StageName(stage)}.sbatch");
            AtomicFile.WriteAllText(script, Script(stage, todo, resources));
            string job = Slurm.Submit(script, previous is null ? [] : [previous]);
            log.WriteLine($"{GridCell.StageName(stage),-9} job {job}: {todo.Count} of {stageCells.Count} cells (array {Slurm.ArraySpec(todo)}), " +
                          $"{resources.Cpus} CPU, {resources.MemoryMegabytes} MB, {resources.SlurmTime}{(resources.Gpus > 0 ? $", {resources.Gpus} GPU" : "")}" +
                          (previous is null ? "" : $", afterok:{previous}"));
            var submission = new GridFolder.Submission(GridCell.StageName(stage), job, todo, DateTime.UtcNow.ToString("O"));
            folder.AddSubmissions([submission]);
            submitted.Add(submission);
            previous = job;
        }
        return submitted;
    }

    /// <summary>The batch script of a stage: the planner's resources as #SBATCH lines, one cell per array task.</summary>
    public string Script(GridStage stage, IReadOnlyList<int> indices, StageResources r)
    {
        string name = GridCell.StageName(stage);
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.AppendLine($"#SBATCH --job-name=amurochar-{name}");
        sb.AppendLine($"#SBATCH --array={Slurm.ArraySpec(indices)}");
        sb.AppendLine($"#SBATCH --cpus-per-task={r.Cpus}");
        sb.AppendLine($"#SBATCH --mem={r.MemoryMegabytes}M");
        sb.AppendLine($"#SBATCH --time={r.SlurmTime}");
        if (r.Gpus > 0) sb.AppendLine($"#SBATCH --gres=gpu:{r.Gpus}");
        sb.AppendLine($"#SBATCH --output={Path.Combine(folder.Logs, name + "-%A_%a.log")}");
        foreach (var d in ExtraDirectives) sb.AppendLine($"#SBATCH {d}");
        sb.AppendLine("set -euo pipefail");
        sb.AppendLine(string.Join(" ", command.Select(Quote)) + $" grid run-cell --grid {Quote(folder.Root)} --stage {name} --index \"$SLURM_ARRAY_TASK_ID\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"");
        return sb.ToString();
    }

    /// <summary>Each cell's state. Read-only: a store that does not exist yet holds no finished cell, and is not
    /// created by asking (it was).</summary>
    public IReadOnlyList<CellStatus> Status()
    {
        string root = folder.ReadSpec().Store;
        return Status(Directory.Exists(root) ? ResultStore.OpenExisting(root) : null, folder.ReadCells());
    }

    IReadOnlyList<CellStatus> Status(ResultStore? store, IReadOnlyList<GridCell> cells)
    {
        var spec = folder.ReadSpec();
        var submissions = folder.Submissions();
        var jobs = submissions.Select(s => s.JobId).ToList();
        var queue = Slurm.Queue(jobs);
        var accounting = Slurm.Accounting(jobs);
        var result = new List<CellStatus>();
        foreach (var stage in Enum.GetValues<GridStage>())
        {
            var stageCells = cells.Stage(stage);
            for (int i = 0; i < stageCells.Count; i++)
            {
                var cell = stageCells[i];
                // The latest submission that included this cell is the one that counts.
                var last = submissions.LastOrDefault(s => s.Stage == GridCell.StageName(stage) && s.Indices.Contains(i));
                string? task = last is null ? null : $"{last.JobId}_{i}";
                string? logPath = last is null ? null : Path.Combine(folder.Logs, $"{last.Stage}-{last.JobId}_{i}.log");
                bool upstreamFailed = result.Any(r => r.Cell.Stage < stage && r.State is "failed" or "blocked");
                if (store is not null && CellRunner.IsDone(store, spec, cell)) result.Add(new(cell, i, "done", "", task, logPath));
                else if (task is null) result.Add(new(cell, i, "not submitted", "", null, null));
                else if (queue.TryGetValue(task, out var q))
                    // afterok on a failed array is never met: Slurm says so for the direct dependents
                    // (DependencyNeverSatisfied); stages further down still read "Dependency" until then.
                    result.Add(q.State == "PENDING" && (q.Reason.Contains("DependencyNeverSatisfied", StringComparison.Ordinal) || (upstreamFailed && q.Reason == "Dependency"))
                        ? new(cell, i, "blocked", $"{task}: waits on a failed cell", task, logPath)
                        : new(cell, i, q.State == "PENDING" ? "pending" : "running", $"{task} {q.State} {q.Reason}".Trim(), task, logPath));
                else result.Add(new(cell, i, "failed", $"{task} left the queue without finishing" +
                                                      (accounting.TryGetValue(task, out var how) ? $" ({how})" : ""), task, logPath));
            }
        }
        return result;
    }

    static string Quote(string s) => s.All(ch => char.IsLetterOrDigit(ch) || "/._-=:,+@".Contains(ch)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
