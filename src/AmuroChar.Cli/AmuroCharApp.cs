using AmuroChar.Cli.Commands;
using Spectre.Console.Cli;

namespace AmuroChar.Cli;

/// <summary>The command tree, kept apart from Program so tests can run a command line in-process.</summary>
static class AmuroCharApp
{
    /// <summary>Runs one command line; errors become one line on <paramref name="error"/> (default: stderr) and an exit code.</summary>
    public static int Run(string[] args, TextWriter? error = null) => CliErrors.Run(() =>
    {
        using var holds = StudyHolds.Scope();
        try
        {
            var app = Create();
            OptionSuggestion.RequireValues(args, SettingsOf);
            return app.Run(args);
        }
        catch (CommandParseException e) when (OptionSuggestion.For(args, e.Message, SettingsOf) is { } hint)
        {
            throw new ArgumentException($"{e.Message} Did you mean {hint}?", e);
        }
    }, error ?? Console.Error);

    /// <summary>Every command's path ("store prune") and settings type: what a test runs every command from.</summary>
    internal static IReadOnlyDictionary<string, Type> Commands()
    {
        Create();
        lock (SettingsOf) return new Dictionary<string, Type>(SettingsOf);
    }

    /// <summary>Each command's path ("store prune") and its settings type, recorded as the commands are added.</summary>
    static readonly Dictionary<string, Type> SettingsOf = new();

    static void Add<TCommand>(IConfigurator app, string path, string description) where TCommand : class, ICommand
    {
        Record<TCommand>(path);
        app.AddCommand<TCommand>(path.Split(' ')[^1]).WithDescription(description);
    }

    static void Add<TCommand>(IConfigurator<CommandSettings> branch, string path, string description) where TCommand : class, ICommandLimiter<CommandSettings>
    {
        Record<TCommand>(path);
        branch.AddCommand<TCommand>(path.Split(' ')[^1]).WithDescription(description);
    }

    static void Record<TCommand>(string path)
    {
        for (var type = typeof(TCommand); type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Command<>))
                lock (SettingsOf) SettingsOf[path] = type.GetGenericArguments()[0];
    }

    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.SetApplicationName("amurochar");
            c.PropagateExceptions();
            // A misspelled option (--stemm, --shot, --world_seed) must be an error, never silently ignored.
            c.UseStrictParsing();
            Add<ReproduceCommand>(c, "reproduce", "Run the whole study: report.md, results.json and the figures.");
            Add<InitCommand>(c, "init", "Write a randomly initialised OLMo model as a Hugging Face directory.");
            Add<LogprobsCommand>(c, "logprobs", "Print per-token log-probabilities of a text under a model, as JSON.");
            Add<PretrainCommand>(c, "pretrain", "Train the tiny world's tokenizer and pre-train its model, saving the checkpoints.");
            Add<FinetuneCommand>(c, "finetune", "Fine-tune a checkpoint on a dataset (supervised, completion-only loss).");
            Add<InstructCommand>(c, "instruct", "Instruction-tune a checkpoint on the Tulu analogue (chat format).");
            Add<EvaluateCommand>(c, "evaluate", "Evaluate a model on a dataset; prints metrics with 95% CIs as JSON.");
            Add<RougeCommand>(c, "rouge", "Score prediction/reference pairs (JSONL) with ROUGE-L as rouge-score computes it.");
            c.AddBranch("datasets", d =>
            {
                d.SetDescription("The datasets of a scale.");
                Add<DatasetsListCommand>(d, "datasets list", "Name, task, split, size, domain and source of every dataset.");
                Add<DatasetsShowCommand>(d, "datasets show", "Rendered prompts with their targets.");
                Add<DatasetsExportCommand>(d, "datasets export", "Write a dataset as JSONL in the Hugging Face schema it stands in for.");
            });
            c.AddBranch("corpus", d =>
            {
                d.SetDescription("The tiny world's pre-training corpus.");
                Add<CorpusStatsCommand>(d, "corpus stats", "Documents, tokens, genres and top words.");
            });
            c.AddBranch("store", d =>
            {
                d.SetDescription("The result store of trained models and evaluations.");
                Add<StoreListCommand>(d, "store list", "Every entry with its key, size and status.");
                Add<StorePruneCommand>(d, "store prune", "Remove invalid entries and leftovers (and, on request, more).");
            });
            c.AddBranch("baselines", d =>
            {
                d.SetDescription("The findings suite's snapshotted baselines.");
                Add<BaselinesAcceptCommand>(d, "baselines accept", "Promote every *.received.json (and the platform it was made on) to its verified baseline.");
                Add<BaselinesDiffCommand>(d, "baselines diff", "The metrics that changed since a git ref (default HEAD), received files included, as a Markdown table.");
            });
            c.AddBranch("hub", d =>
            {
                d.SetDescription("Fetch models and datasets from the Hugging Face Hub into its standard cache.");
                Add<HubRevisionsCommand>(d, "hub revisions", "A model's branches with step and tokens, sorted by step.");
                Add<HubDownloadCommand>(d, "hub download", "Download a revision of a repository; prints its snapshot folder.");
                Add<HubDatasetCommand>(d, "hub dataset", "Download one split of a dataset's Parquet conversion; prints its files.");
            });
            c.AddBranch("grid", d =>
            {
                d.SetDescription("The study as cells on a cluster: plan, submit to Slurm (or emit Kubernetes Jobs), status, collect.");
                Add<GridPlanCommand>(d, "grid plan", "Cells, tokens, FLOPs, memory per training job and wall time; does no work.");
                Add<GridSubmitCommand>(d, "grid submit", "Submit the cells not done yet as Slurm job arrays (afterok), or --emit k8s.");
                Add<GridStatusCommand>(d, "grid status", "Done, pending, running and failed cells, from the store and the scheduler.");
                Add<GridCollectCommand>(d, "grid collect", "Judge the finished grid and write report.md, results.json and the figures.");
                Add<GridRunCellCommand>(d, "grid run-cell", "Run one cell (what an array task runs).");
                Add<GridCalibrateCommand>(d, "grid calibrate", "Measure a training step's memory and time beside the planner's numbers (JSON).");
            });
            Add<FingerprintCommand>(c, "fingerprint", "This machine's numeric fingerprint per kernel family (what decides exact vs statistical baselines), as JSON.");
            Add<BenchCommand>(c, "bench", "Measure speed and memory at the tiny preset; prints JSON.");
            c.AddBranch("findings", d =>
            {
                d.SetDescription("The paper's findings as this suite declares them.");
                Add<FindingsListCommand>(d, "findings list", "Every finding: id, title, checkpoints, metric names and claims (ids, titles, asserted or recorded); --json for tools.");
            });
            Add<GapsCommand>(c, "gaps", "The known gaps: claims that do not reproduce at a scale yet, as the clauses expected to fail, with why.");
        });
        return app;
    }
}
