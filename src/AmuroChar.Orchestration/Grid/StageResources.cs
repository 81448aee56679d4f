using AmuroChar.Bench;
namespace AmuroChar.Grid;

/// <summary>What one array task of a stage asks the scheduler for, derived from the planner's costs.</summary>
public sealed record StageResources(int Gpus, int Cpus, long MemoryMegabytes, int TimeMinutes)
{
    /// <summary>Host memory of the runtime itself (.NET + libtorch + the tokenizer and datasets) beside the plan's
    /// bytes: the tiny-scale bench measures ~1 GB resident in training, most of it libtorch.</summary>
    const long RuntimeMegabytes = 1536;

    /// <summary>Sustained FLOP/s assumed for a CPU array task when the user gives no throughput: 20 GFLOP/s, about a third
    /// of what the 2-core development machine measured for tiny-scale training on 2 threads (MFU 0.64 × 106 GFLOP/s),
    /// because a task runs on one thread. Only time limits use it.</summary>
    public const double DefaultCpuFlopsPerSecond = 2e10;

    /// <summary>
    /// The largest cell of the stage sets the request (an array shares one). Memory: the plan's bytes + 25% + the
    /// runtime; on a GPU the plan's bytes are device memory, so the host needs the checkpoint twice over (safetensors
    /// read + the model) plus the runtime. Time: three times the plan at the given throughput, plus 10 minutes for
    /// start-up and loading, because a limit that is too short kills a cell that was nearly done.
    /// </summary>
    public static StageResources For(GridPlanner planner, IReadOnlyList<CellCost> stage, int cpus)
    {
        double rate = planner.FlopsPerSecond ?? (planner.OnGpu
            ? throw new InvalidOperationException("the paper scale runs on GPUs: give --throughput-tflops (or --tokens-per-second) so the grid can ask for time limits")
            : DefaultCpuFlopsPerSecond);
        int gpus = stage.Select(c => c.Gpus).DefaultIfEmpty().Max();
        long planned = stage.Select(c => c.MemoryBytes).DefaultIfEmpty().Max();
        long hostBytes = gpus > 0 ? 2 * 4 * CostModel.Parameters(planner.Model) : planned + planned / 4;
        double seconds = stage.Select(c => c.Flops).DefaultIfEmpty().Max() / rate;
        return new StageResources(gpus, cpus, hostBytes / (1 << 20) + RuntimeMegabytes, (int)Math.Ceiling(3 * seconds / 60) + 10);
    }

    /// <summary>Slurm's --time format, D-HH:MM:SS.</summary>
    public string SlurmTime => $"{TimeMinutes / 1440}-{TimeMinutes % 1440 / 60:00}:{TimeMinutes % 60:00}:00";
}
