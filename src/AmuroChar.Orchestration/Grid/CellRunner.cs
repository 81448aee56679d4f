using AmuroChar.Findings;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Training;
using AmuroChar.Running;

namespace AmuroChar.Grid;

/// <summary>
/// Runs one cell in this process and records it as done in the result store. Everything a cell computes goes through
/// the study's own keyed store entries (the same keys a single-process run uses), so a cell that is killed leaves
/// nothing half-written behind and a rerun reuses whatever finished; the done marker is written last.
/// </summary>
public static class CellRunner
{
    /// <summary>Fault injection for the grid tests: a cell whose id equals this variable stops after its first
    /// training step, writes its process id to <c>$AMUROCHAR_GRID_HOLD_PIDFILE</c> and waits to be killed.</summary>
    public const string HoldVariable = "AMUROCHAR_GRID_HOLD";

    public static IStudyInputs Inputs(GridSpec spec, ResultStore store, IProgress<TrainingProgress>? progress = null)
    {
        var scale = spec.ResolveScale();
        if (scale.Source is ScaleSource.SyntheticWorld) return new TinyInputs(scale, spec.WorldSeed, store, progress);
        if (spec.OlmoDirectory is null || spec.DataDirectory is null)
            throw new InvalidOperationException($"the paper scale needs the OLMo revisions and the data folder ({PaperInputs.OlmoVariable}, {PaperInputs.DataVariable}) when the grid is made");
        return new PaperInputs(spec.OlmoDirectory, spec.DataDirectory, scale);
    }

    /// <summary>The description the report carries; the same words <c>reproduce</c> writes, so both reports are equal.</summary>
    public static string Description(GridSpec spec) =>
        spec.ResolveScale().Source is ScaleSource.Checkpointed c ? $"{c.Repository} revisions and the paper's datasets from local files." : $"Tiny world, seed {spec.WorldSeed}.";

    /// <summary>Runs <paramref name="cell"/> unless the store says it is done; returns false when it was already done.</summary>
    public static bool Run(GridSpec spec, GridCell cell, ResultStore store, string reportDirectory, int threads, TextWriter log)
    {
        if (IsDone(store, spec, cell)) { log.WriteLine($"{cell.Id}: already done"); return false; }
        var progress = new HoldingProgress(cell.Id);
        var inputs = Inputs(spec, store, progress);
        var m = new Measurements(new AmuroChar.Study.StudyEngine(inputs, store, progress));
        // Pre-training runs on the scale's threads; fine-tuning and evaluation on the task's. Results don't depend on
        // it: 1, 2 and 4 threads give the same bits (TorchRuntime.ThreadClass), the same rule StudyRunner uses.
        TorchRuntime.SetThreads(cell.Stage == GridStage.Pretrain ? spec.ResolveScale().Threads : threads);
        switch (cell.Stage)
        {
            case GridStage.Pretrain:
                foreach (int step in inputs.Checkpoints) log.WriteLine($"checkpoint {step}: {inputs.CheckpointDirectory(step)}");
                break;
            case GridStage.Finetune:
                log.WriteLine($"{cell.Model}: {m.Study.ModelDirectory(cell.Model!)}");
                break;
            case GridStage.Evaluate:
                // Each model is loaded once for all of its evaluations; the loop below reads them back from the store.
                foreach (var group in cell.Evaluations.GroupBy(r => r.Model))
                    m.Study.EvaluateMany(group.Key, group.Select(r => new EvaluationRequest(r.Dataset, r.Format, r.Method, r.Shots)).Distinct().ToList());
                foreach (var r in cell.Evaluations)
                {
                    var result = m.Result(r.Model, r.Dataset, r.Format, r.Method, r.Shots);
                    log.WriteLine($"{r.Model} {r.Dataset} {r.Format} {r.Method ?? "default"}: {string.Join(", ", result.Metrics.Select(kv => $"{kv.Key} {kv.Value.Mean:0.0000}"))}");
                }
                break;
            case GridStage.Judge:
                var outcome = ReproductionReport.Write(m, StudyGrid.Findings(spec, m), reportDirectory, Description(spec));
                log.WriteLine($"report: {outcome.ReportPath}");
                break;
        }
        store.PutJson(DoneKey(spec, cell), new DoneRecord(cell.Id, DateTime.UtcNow.ToString("O")));
        log.WriteLine($"{cell.Id}: done");
        return true;
    }

    public sealed record DoneRecord(string Cell, string FinishedUtc);

    public static bool IsDone(ResultStore store, GridSpec spec, GridCell cell) => store.TryGetJson<DoneRecord>(DoneKey(spec, cell), out _);

    /// <summary>What a cell's completion means: this engine, these inputs, this cell. The store path is not part of it.</summary>
    static ResultKey DoneKey(GridSpec spec, GridCell cell) => ResultKey.Create("grid-cell")
        .With("code", $"{CodeVersion.Manual} src:{CodeVersion.SourceHash} numerics:{NumericPath.Profile}")
        .WithObject("spec", spec with { Store = "" })
        .With("cell", cell.Id);

    sealed class HoldingProgress(string cellId) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (Environment.GetEnvironmentVariable(HoldVariable) != cellId) return;
            if (Environment.GetEnvironmentVariable(HoldVariable + "_PIDFILE") is { Length: > 0 } pidFile)
                AtomicFile.WriteAllText(pidFile, Environment.ProcessId + "\n");
            Console.Error.WriteLine($"{cellId}: held mid-run by {HoldVariable} (pid {Environment.ProcessId}); waiting to be killed");
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
