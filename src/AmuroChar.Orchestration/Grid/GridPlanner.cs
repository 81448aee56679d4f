using AmuroChar.Bench;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Grid;

/// <summary>What the planner assumes where the inputs aren't read (planning reads nothing).</summary>
public sealed record PlanOptions
{
    /// <summary>Sustained model FLOP/s of one device, in TFLOP/s (what the user's hardware achieves, not its peak).</summary>
    public double? ThroughputTflops { get; init; }
    /// <summary>Alternatively, measured training tokens per second of one device at this model and length.</summary>
    public double? TokensPerSecond { get; init; }
    /// <summary>Tokens of a training example; default: the maximum length, an upper bound (MNLI pairs are ~60 tokens,
    /// XSum documents ~500, so the bound overstates most tasks' cost; their memory peak is the bound).</summary>
    public int? TokensPerExample { get; init; }
    /// <summary>Items of an evaluation set; default: 1,000 at the paper scale (its sets hold 500 to 10,000+ items),
    /// the scale's own sizes otherwise.</summary>
    public int? EvalItems { get; init; }
    public Precision? Precision { get; init; }
    public bool ActivationCheckpointing { get; init; }
}

/// <summary>The cost of one cell.</summary>
public sealed record CellCost(GridCell Cell, double Tokens, double Flops, long MemoryBytes, int Gpus)
{
    public double? Seconds(double? flopsPerSecond) => flopsPerSecond is { } f ? Flops / f : null;
}

/// <summary>Tokens, FLOPs, memory and wall time of every cell of a study, from <see cref="CostModel"/>.</summary>
public sealed class GridPlanner(GridSpec spec, PlanOptions options)
{
    public Scale Scale { get; } = spec.ResolveScale();
    public bool OnGpu => Scale.Source is ScaleSource.Checkpointed;
    /// <summary>What the engine trains in: the scale's fine-tuning precision on the GPU (the paper scale's auto is
    /// bf16 mixed there), fp32 at the CPU scales; <c>--precision fp32|bf16</c> plans for either.</summary>
    public Precision Precision => options.Precision ?? (OnGpu && Scale.FineTune.Precision != Precision.Fp32 ? Precision.Bf16Mixed : Precision.Fp32);
    public PlanOptions Options => options;

    /// <summary>The trained model's architecture: the scale's OLMo preset (with the tiny world's vocabulary at the CPU
    /// scales), or at the paper scale with another repository (<c>--model</c>) the architecture its first revision's
    /// config.json describes, read by that config's family.</summary>
    public ModelArchitecture Model { get; } = ResolveModel(spec);

    /// <summary>What the plan names the model: the preset, or the repository.</summary>
    public string ModelName => spec.ModelRepository ?? Scale.ModelPreset;

    static ModelArchitecture ResolveModel(GridSpec spec)
    {
        var scale = spec.ResolveScale();
        if (spec.ModelRepository is null)
            return ModelArchitecture.Of(scale.Source is ScaleSource.Checkpointed ? OlmoConfig.Preset(scale.ModelPreset)
                : OlmoConfig.Preset(scale.ModelPreset).WithVocabularyFor(scale.TokenizerVocabulary, 0, 1));
        var revision = spec.Revisions().FirstOrDefault(r => File.Exists(Path.Combine(r.Directory, HfModelDirectory.ConfigFileName)))
            ?? throw new InvalidOperationException($"{spec.ModelRepository}: none of its revisions on disk has a config.json; the plan reads the architecture from one " +
                $"(e.g. amurochar hub download {spec.ModelRepository} --revision <name> --include config.json)");
        return ModelFamilies.Of(revision.Directory).Architecture(revision.Directory);
    }

    /// <summary>FLOP/s of one device, from whichever throughput the user gave; null when none was.</summary>
    public double? FlopsPerSecond => options.ThroughputTflops is { } t ? t * 1e12
        : options.TokensPerSecond is { } tps ? tps * CostModel.TrainFlopsPerToken(Model, Scale.FineTune.MaxLength) : null;

    public IReadOnlyList<CellCost> Costs(IReadOnlyList<GridCell> cells) => cells.Select(Cost).ToList();

    public CellCost Cost(GridCell cell) => cell.Stage switch
    {
        GridStage.Pretrain => Pretrain(cell),
        GridStage.Finetune => Finetune(cell),
        GridStage.Evaluate => Evaluate(cell),
        _ => new CellCost(cell, 0, 0, 0, 0),
    };

    /// <summary>Memory of one fine-tuning job at the scale's batch × maximum length (the padded worst case).</summary>
    public TrainingMemory TrainingJob(Precision precision, bool checkpointing) =>
        CostModel.Training(Model, Scale.FineTune.BatchSize, Scale.FineTune.MaxLength, precision, checkpointing);

    CellCost Pretrain(GridCell cell)
    {
        if (OnGpu) return new CellCost(cell, 0, 0, 0, 0);   // the paper's checkpoints are downloaded, not trained
        var p = Scale.Pretrain;
        double tokens = (double)p.Steps * p.BatchSize * p.SequenceLength;
        long memory = CostModel.Training(Model, p.BatchSize, p.SequenceLength, Precision.Fp32, false).Total;
        return new CellCost(cell, tokens, tokens * CostModel.TrainFlopsPerToken(Model, p.SequenceLength), memory, 0);
    }

    CellCost Finetune(GridCell cell)
    {
        bool instruct = cell.Model!.FineTunedOn == ModelRef.Instruction;
        var config = instruct ? Scale.Instruct : Scale.FineTune;
        double tokens = (double)TrainingExamples(cell.Model.FineTunedOn!) * config.Epochs * (options.TokensPerExample ?? config.MaxLength);
        long memory = CostModel.Training(Model, config.BatchSize, config.MaxLength, Precision, options.ActivationCheckpointing).Total;
        return new CellCost(cell, tokens, tokens * CostModel.TrainFlopsPerToken(Model, config.MaxLength), memory, OnGpu ? 1 : 0);
    }

    /// <summary>
    /// Each evaluation reads its items at the context bound; generation sets add the generated tokens, each a forward
    /// pass over the cached context. A k-shot prompt is taken as k + 1 equal parts (k demonstrations, then the item):
    /// the demonstrations are the same for every item of a set, and the evaluator computes them once per (model, set)
    /// and continues every item from their keys and values (<c>Scorer</c>, <c>GreedyGenerator</c>), so they count once,
    /// unless <paramref name="sharePrefix"/> is false (what the evaluation would cost without that cache). Every token
    /// still attends to the whole context, so its FLOPs are those of a token at the bound.
    /// </summary>
    CellCost Evaluate(GridCell cell, bool sharePrefix = true)
    {
        int context = Scale.FineTune.MaxLength;
        var generation = DatasetSpecs.All.Where(d => d.Task.Kind == TaskKind.Generation).Select(d => d.Name).ToHashSet();
        double tokens = 0, flops = 0;
        foreach (var r in cell.Evaluations)
        {
            double items = EvalItems(generation.Contains(r.Dataset));
            double own = context / ((r.Shots ?? Scale.ShotsFor(r.Model)) + 1.0), demonstrations = context - own;
            double prompt = sharePrefix ? demonstrations + items * own : items * context;
            double generated = generation.Contains(r.Dataset) ? items * Scale.MaxNewTokens : 0;
            tokens += prompt + generated;
            flops += (prompt + generated) * CostModel.ForwardFlopsPerToken(Model, context);
        }
        // The fp32 weights (bf16 mixed precision keeps them and casts one layer's at a time), and fp32 logits of a batch
        // of prompts (the scoring batch is the fine-tuning batch size).
        long memory = 4L * CostModel.Parameters(Model) + 4L * Scale.FineTune.BatchSize * context * Model.VocabSize;
        return new CellCost(cell, tokens, flops, memory, OnGpu ? 1 : 0);
    }

    /// <summary>Evaluation tokens of <paramref name="cells"/> with the shared few-shot prefix computed once (what runs)
    /// and without (every prompt whole): the saving <c>amurochar bench</c>'s <c>shared_prefix</c> measures in time.</summary>
    public (double Shared, double Whole) EvaluationTokens(IReadOnlyList<GridCell> cells)
    {
        var evaluations = cells.Where(c => c.Stage == GridStage.Evaluate).ToList();
        return (evaluations.Sum(c => Evaluate(c).Tokens), evaluations.Sum(c => Evaluate(c, sharePrefix: false).Tokens));
    }

    /// <summary>The paper subsamples every training set to 6,000 examples and Tulu to 30,000 (PaperData); the tiny
    /// world's sizes are its DataConfig's.</summary>
    long TrainingExamples(string trainSet)
    {
        if (OnGpu) return PaperData.TrainSample(trainSet);
        var spec = DatasetSpecs.Get(trainSet);
        return Scale.Data.Count(spec.Train!.Size, spec.Task.Kind);
    }

    double EvalItems(bool generation) => options.EvalItems
        ?? (OnGpu ? 1000 : generation ? Scale.Data.EvalGeneration : Scale.Data.EvalClassification);
}
