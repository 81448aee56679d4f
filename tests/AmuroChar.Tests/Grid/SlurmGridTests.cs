using System.Diagnostics;
using AmuroChar.Findings;
using AmuroChar.Grid;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;
using AmuroChar.Running;

namespace AmuroChar.Tests.Grid;

/// <summary>
/// The grid on a real single-node Slurm (tools/slurm/start-local.sh, which .ci/run calls): the micro study's
/// instruction-tuning finding (pre-train → 3 instruction-tuning cells → 6 evaluation cells → judge) submitted as job
/// arrays with afterok; one instruction-tuning cell is killed (SIGKILL) mid-training; status must show it failed and
/// its dependents blocked; submitting again must redo only what is missing; and the report must be byte-identical to
/// the single-process run's. About a minute on 2 cores.
/// </summary>
public class SlurmGridTests
{
    static readonly string[] Findings = ["instruction_tuning"];

    /// <summary>
    /// A running Slurm, started here when it isn't (as .ci/run does: tools/slurm/start-local.sh installs and starts
    /// one, as root). Where that can't be done (not root, no apt), a plain `dotnet test` skips with the reason; under
    /// CI (CI=true) it fails instead, so the grid is never left untested there.
    /// </summary>
    static void RequireSlurm()
    {
        if (Slurm.Unavailable() is null) return;
        string? script = RepositoryRoot.Find() is { } root ? Path.Combine(root, "tools", "slurm", "start-local.sh") : null;
        string started = "";
        if (script is not null && File.Exists(script))
        {
            var run = new System.Diagnostics.ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = System.Diagnostics.Process.Start(run)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            started = $" (tools/slurm/start-local.sh exited {p.ExitCode}: {stderr.Trim()} {stdout.Result.Trim()})";
        }
        if (Slurm.Unavailable() is not { } why) return;
        string message = $"this test needs a running Slurm: {why}{started}. Start one with `sudo tools/slurm/start-local.sh` " +
                         "(installs Debian's slurm-wlm and munge; .ci/run does this before dotnet test).";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail(message);
        Assert.Skip(message);
    }

    [Fact]
    public void Grid_through_slurm_equals_the_single_process_run_and_redoes_a_killed_cell()
    {
        RequireSlurm();

        string dir = Directory.CreateTempSubdirectory("amurochar-slurm-").FullName;
        try
        {
            string grid = Path.Combine(dir, "grid"), store = Path.Combine(dir, "slurm", "store"), pidFile = Path.Combine(dir, "held.pid");
            var spec = new GridSpec { Scale = "micro", Store = store, Findings = Findings };
            var cells = StudyGrid.Cells(spec);
            var victim = cells.Stage(GridStage.Finetune).First(c => c.Model!.Step == cells.Stage(GridStage.Finetune).Max(x => x.Model!.Step));

            string[] submit = ["grid", "submit", "--scale", "micro", "--findings", string.Join(",", Findings), "--store", store, "--grid", grid];
            GridCli.RunOk([(CellRunner.HoldVariable, victim.Id), (CellRunner.HoldVariable + "_PIDFILE", pidFile)], submit);

            // Meanwhile, the same findings in one process into another store (what `reproduce` runs).
            // (Each store in its own parent folder: pre-training's resumable work folder is <store>/../work/<key>.)
            string single = Path.Combine(dir, "single", "report");
            var singleStore = new ResultStore(Path.Combine(dir, "single", "store"));
            var m = new Measurements(new AmuroChar.Study.StudyEngine(CellRunner.Inputs(spec with { Store = singleStore.Root }, singleStore), singleStore));
            var findings = StudyGrid.Findings(spec, m);
            StudyRunner.Run(m, findings, workers: 1);
            ReproductionReport.Write(m, findings, single, CellRunner.Description(spec));

            // Kill the held cell's process mid-training, as the OOM killer or a node failure would.
            int pid = WaitFor(() => File.Exists(pidFile) ? int.Parse(File.ReadAllText(pidFile).Trim()) : (int?)null, 240, "the held cell to start training");
            Process.GetProcessById(pid).Kill();

            var folder = new GridFolder(grid);
            var slurm = new SlurmGrid(folder, new GridPlanner(spec, new PlanOptions()), []);
            var afterKill = WaitFor(() => slurm.Status() is var s && s.All(c => c.State is not ("running" or "pending")) ? s : null, 240, "the queue to settle after the kill");
            Assert.Equal("failed", afterKill.Single(c => c.Cell == victim).State);
            Assert.All(afterKill.Where(c => c.Cell.Stage == GridStage.Finetune && c.Cell != victim), c => Assert.Equal("done", c.State));
            Assert.All(afterKill.Where(c => c.Cell.Stage is GridStage.Evaluate or GridStage.Judge), c => Assert.Equal("blocked", c.State));
            Assert.Contains("failed", GridCli.RunOk("grid", "status", "--grid", grid));

            // Resubmit: only the killed cell and what depends on it.
            string resubmitted = GridCli.RunOk([(CellRunner.HoldVariable, null)], submit);
            Assert.Contains("pretrain  all 1 cells done", resubmitted);
            Assert.Contains("1 of 3 cells", resubmitted);
            var final = WaitFor(() => slurm.Status() is var s && s.All(c => c.State is not ("running" or "pending")) ? s : null, 300, "the resubmitted grid to finish");
            Assert.All(final, c => Assert.True(c.State == "done", $"{c.Cell.Id}: {c.State} {c.Detail} (log {c.Log})"));

            // Bitwise: the same report and results, and the redone model's weights equal the single run's.
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, "results.json")), File.ReadAllBytes(Path.Combine(folder.ReportDirectory, "results.json")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, "report.md")), File.ReadAllBytes(Path.Combine(folder.ReportDirectory, "report.md")));
            var gridStore = new ResultStore(store);
            var gridStudy = new AmuroChar.Study.StudyEngine(CellRunner.Inputs(spec, gridStore), gridStore);
            Assert.Equal(File.ReadAllBytes(Path.Combine(m.Study.ModelDirectory(victim.Model!), "model.safetensors")),
                         File.ReadAllBytes(Path.Combine(gridStudy.ModelDirectory(victim.Model!), "model.safetensors")));

            // collect re-judges from the store alone and writes the same results.
            string collected = Path.Combine(dir, "collected");
            var (code, output, error) = GridCli.Run([], "grid", "collect", "--grid", grid, "--out", collected);
            Assert.True(code is 0 or 1, $"grid collect exited {code}: {output}{error}");
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, "results.json")), File.ReadAllBytes(Path.Combine(collected, "results.json")));
        }
        finally
        {
            // A failed run must not leave the held cell (or anything else of this grid) on the shared machine's queue.
            var jobs = new GridFolder(Path.Combine(dir, "grid")).Submissions().Select(s => s.JobId).ToList();
            try { if (jobs.Count > 0) Slurm.Cancel(jobs); } catch (InvalidOperationException) { }   // finished jobs can't be cancelled
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    static T WaitFor<T>(Func<T?> probe, int seconds, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            if (probe() is { } value) return value;
            Thread.Sleep(500);
        }
        throw new TimeoutException($"waited {seconds} s for {what}");
    }

    static int WaitFor(Func<int?> probe, int seconds, string what) =>
        WaitFor(() => probe() is { } v ? new StrongBox(v) : null, seconds, what).Value;

    sealed record StrongBox(int Value);
}
