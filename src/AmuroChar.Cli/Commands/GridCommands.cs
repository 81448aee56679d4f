using System.ComponentModel;
using System.Reflection;
using AmuroChar.Findings;
using AmuroChar.Grid;
using AmuroChar.Results;
using AmuroChar.Study;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>What names the study and how to cost it: shared by plan and submit.</summary>
class GridPlanSettings : CommandSettings
{
    [CommandOption("--scale <NAME>"), Description("tiny (default), small, micro, or paper (reads AMUROCHAR_OLMO_DIR / AMUROCHAR_DATA_DIR when set).")]
    public string? Scale { get; init; }

    [CommandOption("--world-seed <N>"), Description("Seed of the tiny world (tiny, small, micro).")]
    public long WorldSeed { get; init; } = 1;

    [CommandOption("--seeds <LIST>"), Description("Fine-tuning seeds, comma-separated (a multi-seed sweep); default: the scale's.")]
    public string? Seeds { get; init; }

    [CommandOption("--findings <LIST>"), Description("Only these findings, comma-separated ids (e.g. instruction_tuning); default: the whole study.")]
    public string? Findings { get; init; }

    [CommandOption("--store <DIR>"), Description("The shared result store (default: $AMUROCHAR_STORE, else .amurochar/store).")]
    public string? Store { get; init; }

    [CommandOption("--model <REPO>"), Description("Paper scale: another checkpointed repository than OLMo-1B-hf (e.g. EleutherAI/pythia-160m); its revisions on disk are the checkpoints.")]
    public string? Model { get; init; }

    [CommandOption("--throughput-tflops <X>"), Description("Sustained TFLOP/s of one device, for wall times and time limits.")]
    public double? ThroughputTflops { get; init; }

    [CommandOption("--tokens-per-second <X>"), Description("Or: measured training tokens/s of one device.")]
    public double? TokensPerSecond { get; init; }

    [CommandOption("--tokens-per-example <N>"), Description("Mean tokens of a training example (default: the maximum length, an upper bound).")]
    public int? TokensPerExample { get; init; }

    [CommandOption("--eval-items <N>"), Description("Items per evaluation set (default: 1,000 at the paper scale, the scale's own otherwise).")]
    public int? EvalItems { get; init; }

    [CommandOption("--precision <P>"), Description("fp32 (default: what the engine trains in) or bf16 (mixed, fp32 master weights).")]
    public string? Precision { get; init; }

    [CommandOption("--activation-checkpointing"), Description("Plan training memory with activation checkpointing.")]
    public bool ActivationCheckpointing { get; init; }

    public override Spectre.Console.ValidationResult Validate() =>
        !string.IsNullOrWhiteSpace(Model) && !AmuroChar.Study.Scale.IsCheckpointed(Scale ?? "tiny")
            ? Spectre.Console.ValidationResult.Error($"--model names the paper scale's checkpointed repository; the {Scale ?? "tiny"} scale pre-trains its own model")
            : base.Validate();

    public GridSpec Spec() => new()
    {
        Scale = Scale ?? "tiny",
        WorldSeed = WorldSeed,
        Seeds = Seeds is null ? null : GridCommands.ParseSeeds(Seeds),
        Findings = Findings?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        Store = Path.GetFullPath(Store ?? ResultStore.DefaultRoot()),
        ModelRepository = string.IsNullOrWhiteSpace(Model) ? null : Model,
        OlmoDirectory = AmuroChar.Study.Scale.IsCheckpointed(Scale ?? "tiny") ? Full(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable)) : null,
        DataDirectory = AmuroChar.Study.Scale.IsCheckpointed(Scale ?? "tiny") ? Full(Environment.GetEnvironmentVariable(PaperInputs.DataVariable)) : null,
    };

    static string? Full(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);

    public PlanOptions Options() => new()
    {
        ThroughputTflops = Positive(ThroughputTflops, "--throughput-tflops"),
        TokensPerSecond = Positive(TokensPerSecond, "--tokens-per-second"),
        TokensPerExample = TokensPerExample is <= 0 ? throw new ArgumentException("--tokens-per-example must be positive") : TokensPerExample,
        EvalItems = EvalItems is <= 0 ? throw new ArgumentException("--eval-items must be positive") : EvalItems,
        Precision = Precision switch
        {
            null => null,
            "fp32" => AmuroChar.Model.Precision.Fp32,
            "bf16" => AmuroChar.Model.Precision.Bf16Mixed,
            _ => throw new ArgumentException($"--precision must be fp32 or bf16 (got '{Precision}')"),
        },
        ActivationCheckpointing = ActivationCheckpointing,
    };

    static double? Positive(double? x, string name) => x is { } v && !(v > 0) ? throw new ArgumentException($"{name} must be positive (got {v})") : x;
}

sealed class GridPlanCommand : Command<GridPlanCommand.Settings>
{
    public sealed class Settings : GridPlanSettings
    {
        [CommandOption("--cells"), Description("Also list every cell with its cost.")]
        public bool Cells { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var spec = s.Spec();
        Console.Write(PlanReport.Render(spec, new GridPlanner(spec, s.Options()), StudyGrid.Cells(spec), s.Cells));
        return 0;
    }
}

sealed class GridSubmitCommand : Command<GridSubmitCommand.Settings>
{
    public sealed class Settings : GridPlanSettings
    {
        [CommandOption("--grid <DIR>"), Description("The grid's folder on the shared file system (grid.json, jobs, scripts, logs, report).")]
        public string Grid { get; init; } = "";

        [CommandOption("--emit <KIND>"), Description("slurm (default: submit with sbatch) or k8s (write Indexed Job manifests).")]
        public string Emit { get; init; } = "slurm";

        [CommandOption("--cpus-per-task <N>"), Description("CPUs of each array task (default 1).")]
        public int CpusPerTask { get; init; } = 1;

        [CommandOption("--sbatch <LINE>"), Description("An extra #SBATCH option, e.g. --sbatch=--partition=gpu (repeatable).")]
        public string[]? Sbatch { get; init; }

        [CommandOption("--exe <COMMAND>"), Description("The command array tasks run amurochar with (default: this program).")]
        public string? Exe { get; init; }

        [CommandOption("--k8s-image <IMAGE>"), Description("k8s: the container image with amurochar on PATH.")]
        public string? Image { get; init; }

        [CommandOption("--k8s-pvc <NAME>"), Description("k8s: the ReadWriteMany volume claim holding the grid folder and the store.")]
        public string? Claim { get; init; }

        [CommandOption("--k8s-mount <PATH>"), Description("k8s: where pods mount it (the same path as here; default: /shared).")]
        public string Mount { get; init; } = "/shared";
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(s.Grid)) throw new ArgumentException("--grid <DIR> is required: the grid's folder on a file system every node shares");
        var folder = new GridFolder(s.Grid);
        // A folder planned before keeps its spec unless a scale is given (then it must be the same).
        var spec = File.Exists(folder.GridFile) && s.Scale is null ? folder.ReadSpec() : s.Spec();
        // Array tasks read the inputs from the folders named now; fail here rather than in every task.
        if (AmuroChar.Study.Scale.IsCheckpointed(spec.Scale) && (spec.OlmoDirectory is null || spec.DataDirectory is null))
            throw new InvalidOperationException(PaperInputs.MissingInputs() ?? $"the paper scale needs {PaperInputs.OlmoVariable} and {PaperInputs.DataVariable}");
        if (s.Emit == "k8s")
        {
            if (s.Image is null || s.Claim is null) throw new ArgumentException("--emit k8s needs --k8s-image and --k8s-pvc");
            KubernetesManifest.CheckPaths(folder, spec, new KubernetesOptions(s.Image, s.Claim, s.Mount));
        }
        folder.Write(spec, StudyGrid.Cells(spec));
        var planner = new GridPlanner(spec, s.Options());
        switch (s.Emit)
        {
            case "slurm":
                if (Slurm.Unavailable() is { } why) throw new InvalidOperationException($"can't submit to Slurm: {why}");
                var grid = new SlurmGrid(folder, planner, s.Exe?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? GridCommands.ThisProgram())
                {
                    CpusPerTask = s.CpusPerTask,
                    ExtraDirectives = s.Sbatch ?? [],
                };
                grid.Submit(Console.Out);
                Console.WriteLine($"grid: {folder.Root} (amurochar grid status --grid {folder.Root})");
                return 0;
            case "k8s":
                var cells = folder.ReadCells();
                var options = new KubernetesOptions(s.Image!, s.Claim!, s.Mount);
                foreach (var stage in Enum.GetValues<GridStage>())
                {
                    var stageCells = cells.Stage(stage);
                    var resources = StageResources.For(planner, planner.Costs(stageCells), s.CpusPerTask);
                    string path = Path.Combine(folder.Root, "k8s", $"{(int)stage}-{GridCell.StageName(stage)}.yaml");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    AtomicFile.WriteAllText(path, KubernetesManifest.Stage(folder, spec, stage, stageCells.Count, resources, options));
                    Console.WriteLine($"kubectl apply -f {path} && kubectl wait --for=condition=complete --timeout=-1s job/amurochar-{GridCell.StageName(stage)}");
                }
                return 0;
            default:
                throw new ArgumentException($"--emit must be slurm or k8s (got '{s.Emit}')");
        }
    }
}

class GridFolderSettings : CommandSettings
{
    [CommandOption("--grid <DIR>"), Description("The grid's folder.")]
    public string Grid { get; init; } = "";

    public GridFolder Folder() => string.IsNullOrWhiteSpace(Grid) ? throw new ArgumentException("--grid <DIR> is required") : new GridFolder(Grid);
}

sealed class GridStatusCommand : Command<GridFolderSettings>
{
    public override int Execute(CommandContext context, GridFolderSettings s, CancellationToken cancellation)
    {
        var folder = s.Folder();
        var spec = folder.ReadSpec();
        var status = new SlurmGrid(folder, new GridPlanner(spec, new PlanOptions()), []).Status();
        foreach (var c in status)
            Console.WriteLine($"{c.State,-13} {GridCell.StageName(c.Cell.Stage),-9} {c.Index,4}  {c.Cell.Id,-44} {c.Detail}{(c.State == "failed" && c.Log is not null ? $"  log: {c.Log}" : "")}");
        foreach (var g in status.GroupBy(c => c.State).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"{g.Key}: {g.Count()}");
        if (status.Any(c => c.State is "failed" or "blocked")) Console.WriteLine("resubmit the failed cells: amurochar grid submit --grid " + folder.Root);
        return 0;
    }
}

sealed class GridCollectCommand : Command<GridCollectCommand.Settings>
{
    public sealed class Settings : GridFolderSettings
    {
        [CommandOption("--out <DIR>"), Description("Where to write report.md, results.json and figures/ (default: <grid>/report).")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var folder = s.Folder();
        var spec = folder.ReadSpec();
        var store = StudyHolds.Hold(new ResultStore(spec.Store));
        var missing = folder.ReadCells().Where(c => c.Stage != GridStage.Judge && !CellRunner.IsDone(store, spec, c)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"{missing.Count} cells are not done yet (e.g. {missing[0].Id}); see `amurochar grid status --grid {folder.Root}`");
        var m = new Measurements(new AmuroChar.Study.StudyEngine(CellRunner.Inputs(spec, store), store));
        var findings = StudyGrid.Findings(spec, m);
        var outcome = ReproductionReport.Write(m, findings, s.Out ?? folder.ReportDirectory, CellRunner.Description(spec));
        foreach (var (finding, verdict) in outcome.Verdicts) Console.WriteLine(outcome.Line(finding, verdict));
        Console.WriteLine($"report:  {outcome.ReportPath}");
        Console.WriteLine($"results: {outcome.ResultsPath}");
        return outcome.ExitCode;
    }
}

sealed class GridRunCellCommand : Command<GridRunCellCommand.Settings>
{
    public sealed class Settings : GridFolderSettings
    {
        [CommandOption("--stage <STAGE>"), Description("pretrain, finetune, evaluate or judge.")]
        public string Stage { get; init; } = "";

        [CommandOption("--index <I>"), Description("The cell's index within its stage (the array task id).")]
        public int Index { get; init; } = -1;

        [CommandOption("--threads <N>"), Description("CPU threads for fine-tuning and evaluation (default 1).")]
        public int Threads { get; init; } = 1;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var folder = s.Folder();
        var stage = GridCell.ParseStage(s.Stage);
        var cells = folder.ReadCells().Stage(stage);
        if (s.Index < 0 || s.Index >= cells.Count)
            throw new ArgumentException($"--index {s.Index} is outside the {s.Stage} stage's cells (0..{cells.Count - 1}) in {folder.GridFile}");
        var spec = folder.ReadSpec();
        CellRunner.Run(spec, cells[s.Index], StudyHolds.Hold(new ResultStore(spec.Store)), folder.ReportDirectory, s.Threads, Console.Out);
        return 0;
    }
}

sealed class GridCalibrateCommand : Command<GridCalibrateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <NAME>"), Description("Model preset (default tiny).")]
        public string Preset { get; init; } = "tiny";

        [CommandOption("--batch <N>")] public int Batch { get; init; } = 8;
        [CommandOption("--length <N>")] public int Length { get; init; } = 256;
        [CommandOption("--steps <N>"), Description("Timed steps after the first.")] public int Steps { get; init; } = 3;
        [CommandOption("--threads <N>")] public int Threads { get; init; } = 1;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        if (s.Batch < 1 || s.Length < 2 || s.Steps < 1 || s.Threads < 1) throw new ArgumentException("--batch, --steps and --threads must be ≥ 1 and --length ≥ 2");
        AmuroChar.Model.TorchRuntime.SetThreads(s.Threads);
        var c = Calibration.Measure(AmuroChar.Model.OlmoConfig.Preset(s.Preset), s.Batch, s.Length, s.Steps);
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            parameter_bytes = new { measured = c.ParameterBytes, planned = c.Planned.Weights },
            gradient_bytes = new { measured = c.GradientBytes, planned = c.Planned.Gradients },
            adamw_bytes = new { measured = c.OptimizerBytes, planned = c.Planned.OptimizerState },
            first_step_rss_increase_bytes = new { measured = c.PeakRssIncreaseBytes, planned = c.PlannedStepIncrease, planned_activations = c.Planned.Activations },
            step_seconds = new { measured = c.StepSeconds, planned_at_matmul_rate = c.PlannedStepSeconds, matmul_gflops = c.MatmulFlopsPerSecond / 1e9 },
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}

static class GridCommands
{
    public static IReadOnlyList<long> ParseSeeds(string list) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(x => long.TryParse(x, out long v) ? v : throw new ArgumentException($"--seeds: '{x}' is not an integer (expected e.g. 42,43,44)"))
            .ToList() is { Count: > 0 } seeds ? seeds : throw new ArgumentException("--seeds is empty");

    /// <summary>How array tasks start this same program: the apphost, or `dotnet amurochar.dll`.</summary>
    public static IReadOnlyList<string> ThisProgram()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("can't tell this program's path; give --exe");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, Assembly.GetEntryAssembly()!.Location] : [process];
    }

    /// <summary>`reproduce --plan`: the plan of the study reproduce would run, without running it.</summary>
    public static int PrintPlan(string scale, long worldSeed, string? store, double? throughputTflops, string? model = null)
    {
        var settings = new GridPlanSettings { Scale = scale, WorldSeed = worldSeed, Store = store, ThroughputTflops = throughputTflops, Model = model };
        var spec = settings.Spec();
        Console.Write(PlanReport.Render(spec, new GridPlanner(spec, settings.Options()), StudyGrid.Cells(spec)));
        return 0;
    }
}
