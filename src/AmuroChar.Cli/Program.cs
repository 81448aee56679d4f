using AmuroChar.Cli.Commands;
using Spectre.Console.Cli;

// Before anything can touch libtorch: same seed, same bits on every x86-64 CPU (see NumericPath).
AmuroChar.Model.NumericPath.Pin();

var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("amurochar");
    c.PropagateExceptions();
    c.AddCommand<ReproduceCommand>("reproduce").WithDescription("Run the whole study: report.md, results.json and the figures.");
    c.AddCommand<InitCommand>("init").WithDescription("Write a randomly initialised OLMo model as a Hugging Face directory.");
    c.AddCommand<LogprobsCommand>("logprobs").WithDescription("Print per-token log-probabilities of a text under a model, as JSON.");
    c.AddCommand<PretrainCommand>("pretrain").WithDescription("Train the tiny world's tokenizer and pre-train its model, saving the checkpoints.");
    c.AddCommand<FinetuneCommand>("finetune").WithDescription("Fine-tune a checkpoint on a dataset (supervised, completion-only loss).");
    c.AddCommand<InstructCommand>("instruct").WithDescription("Instruction-tune a checkpoint on the Tulu analogue (chat format).");
    c.AddCommand<EvaluateCommand>("evaluate").WithDescription("Evaluate a model on a dataset; prints metrics with 95% CIs as JSON.");
    c.AddCommand<RougeCommand>("rouge").WithDescription("Score prediction/reference pairs (JSONL) with ROUGE-L as rouge-score computes it.");
    c.AddBranch("datasets", d =>
    {
        d.SetDescription("The datasets of a scale.");
        d.AddCommand<DatasetsListCommand>("list").WithDescription("Name, task, split, size, domain and source of every dataset.");
        d.AddCommand<DatasetsShowCommand>("show").WithDescription("Rendered prompts with their targets.");
        d.AddCommand<DatasetsExportCommand>("export").WithDescription("Write a dataset as JSONL in the Hugging Face schema it stands in for.");
    });
    c.AddBranch("corpus", d =>
    {
        d.SetDescription("The tiny world's pre-training corpus.");
        d.AddCommand<CorpusStatsCommand>("stats").WithDescription("Documents, tokens, genres and top words.");
    });
    c.AddBranch("store", d =>
    {
        d.SetDescription("The result store of trained models and evaluations.");
        d.AddCommand<StoreListCommand>("list").WithDescription("Every entry with its key, size and status.");
        d.AddCommand<StorePruneCommand>("prune").WithDescription("Remove invalid entries and leftovers (and, on request, more).");
    });
    c.AddBranch("baselines", d =>
    {
        d.SetDescription("The findings suite's snapshotted baselines.");
        d.AddCommand<BaselinesAcceptCommand>("accept").WithDescription("Promote every *.received.json to its verified baseline.");
    });
    c.AddBranch("grid", d =>
    {
        d.SetDescription("The study as cells on a cluster: plan, submit to Slurm (or emit Kubernetes Jobs), status, collect.");
        d.AddCommand<GridPlanCommand>("plan").WithDescription("Cells, tokens, FLOPs, memory per training job and wall time; does no work.");
        d.AddCommand<GridSubmitCommand>("submit").WithDescription("Submit the cells not done yet as Slurm job arrays (afterok), or --emit k8s.");
        d.AddCommand<GridStatusCommand>("status").WithDescription("Done, pending, running and failed cells, from the store and the scheduler.");
        d.AddCommand<GridCollectCommand>("collect").WithDescription("Judge the finished grid and write report.md, results.json and the figures.");
        d.AddCommand<GridRunCellCommand>("run-cell").WithDescription("Run one cell (what an array task runs).");
        d.AddCommand<GridCalibrateCommand>("calibrate").WithDescription("Measure a training step's memory and time beside the planner's numbers (JSON).");
    });
    c.AddCommand<BenchCommand>("bench").WithDescription("Measure speed and memory at the tiny preset; prints JSON.");
});
return CliErrors.Run(() => app.Run(args));
