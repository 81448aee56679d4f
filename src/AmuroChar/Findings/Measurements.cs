using System.Collections.Concurrent;
using AmuroChar.Evaluation;
using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>
/// The findings' access to the study: evaluation results by (model, dataset, format, method, shots), the cells and
/// curves the verdicts judge, and the checkpoints each kind of experiment runs at. Every result comes from the
/// study's result store, so findings that need the same evaluation share it.
/// <para>
/// Like for like: a fine-tuned model is compared with its base model at the <em>same</em> number of demonstrations
/// (<see cref="Scale.FineTunedShots"/>), so a gain is what fine-tuning did, not what removing the demonstrations did.
/// Where the scale evaluates base models with other shots (tiny: 4 against 0), the paper's comparison (a base model
/// with <see cref="Scale.Shots"/>) is measured and reported beside it (<see cref="GainVsFewShotBase"/>), not asserted.
/// </para>
/// </summary>
public sealed class Measurements(AmuroChar.Study.Study study)
{
    readonly ConcurrentDictionary<string, EvalResult> _memo = new();

    public AmuroChar.Study.Study Study => study;
    public Scale Scale => study.Scale;
    /// <summary>The tiny world's seed; null at the paper scale (no world).</summary>
    public long? WorldSeed => (study.Inputs as AmuroChar.Study.TinyInputs)?.WorldSeed;

    /// <summary>Every pre-training checkpoint (base-model measurements).</summary>
    public IReadOnlyList<int> Checkpoints => study.Inputs.Checkpoints;

    /// <summary>The checkpoints that are fine-tuned (the scale may leave out the random initialisation).</summary>
    public IReadOnlyList<int> FineTuneCheckpoints => Checkpoints.Where(c => c >= Scale.FirstFineTunedStep).ToList();

    public IReadOnlyList<long> Seeds => Scale.FineTuneSeeds;

    /// <summary>Whether the paper's comparison (base at <see cref="Scale.Shots"/>) differs from the like-for-like one.</summary>
    public bool ShotsDiffer => Scale.Shots != Scale.FineTunedShots;

    /// <summary>Suffix of the metrics that compare with the paper's few-shot base (e.g. "vs_4shot_base").</summary>
    public string FewShotBaseSuffix => $"vs_{Scale.Shots}shot_base";

    public EvalResult Result(ModelRef model, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null, int? shots = null)
    {
        if (shots == DefaultShots(model)) shots = null;   // one memo entry per evaluation, however it was asked for
        return _memo.GetOrAdd($"{model}|{dataset}|{format}|{method}|{shots}", _ => study.Evaluate(model, dataset, format, method, shots));
    }

    int DefaultShots(ModelRef model) => !model.IsBase && model.FineTunedOn != ModelRef.Instruction ? Scale.FineTunedShots : Scale.Shots;

    /// <summary>The primary metric (accuracy, or ROUGE-L for generation) with its 95% CI, as the evaluation reported it.</summary>
    public Estimate Score(ModelRef model, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null, int? shots = null) =>
        Primary(Result(model, dataset, format, method, shots));

    // ---- cells: one model kind, one set, one checkpoint ----

    public Cell BaseCell(int step, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null, int? shots = null) =>
        Cell.Single(dataset, Items(Result(ModelRef.Base(step), dataset, format, method, shots)));

    /// <summary>The base model at the fine-tuned models' shots: the like-for-like reference of a gain.</summary>
    public Cell ComparableBaseCell(int step, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        BaseCell(step, dataset, format, method, Scale.FineTunedShots);

    /// <summary>A fine-tuned model's per-item scores, one run per fine-tuning seed of the scale, in the scale's seed
    /// order: every cell fine-tuned on one training set shares its seeds (one seed group), whatever the checkpoint,
    /// evaluation set or format.</summary>
    public Cell FineTunedCell(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        new(dataset, Seeds.Select(seed => Items(Result(ModelRef.FineTuned(step, trainSet, seed), dataset, format, method))).ToList(), $"finetune:{trainSet}");

    public Cell InstructedCell(int step, string dataset) => Cell.Single(dataset, Items(Result(ModelRef.InstructionTuned(step), dataset)));

    // ---- estimates ----

    /// <summary>A fine-tuned score: the mean over seeds and items, its CI resampling both.</summary>
    public Estimate FineTunedScore(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        HierarchicalBootstrap.Mean(FineTunedCell(step, trainSet, dataset, format, method));

    /// <summary>Fine-tuned minus base at the same shots, on the same items.</summary>
    public Estimate Gain(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        HierarchicalBootstrap.Mean(FineTunedCell(step, trainSet, dataset, format, method).Minus(ComparableBaseCell(step, dataset, format, method)));

    /// <summary>The paper's comparison: fine-tuned minus a base model with <see cref="Scale.Shots"/> demonstrations
    /// (at tiny scale this mixes fine-tuning with removing the demonstrations; reported, not asserted).</summary>
    public Estimate GainVsFewShotBase(int step, string trainSet, string dataset) =>
        HierarchicalBootstrap.Mean(FineTunedCell(step, trainSet, dataset).Minus(BaseCell(step, dataset)));

    /// <summary>Instruction-tuned minus base on the same items (both at <see cref="Scale.Shots"/>).</summary>
    public Estimate InstructionGain(int step, string dataset) =>
        HierarchicalBootstrap.Mean(InstructedCell(step, dataset).Minus(BaseCell(step, dataset)));

    /// <summary>The gain metrics of a fine-tuned model on a set: "&lt;prefix&gt;" like for like and, where shots
    /// differ, "&lt;prefix&gt;_vs_Nshot_base" as the paper compared.</summary>
    public void AddGains(IDictionary<string, Estimate> metrics, string prefix, int step, string trainSet, string dataset)
    {
        metrics[prefix] = Gain(step, trainSet, dataset);
        if (ShotsDiffer) metrics[$"{prefix}_{FewShotBaseSuffix}"] = GainVsFewShotBase(step, trainSet, dataset);
    }

    // ---- curves: cells over checkpoints ----

    /// <summary>A base model's per-item scores at each of <paramref name="steps"/>: the numbers a verdict judges.</summary>
    public ItemCurve BaseCurve(IReadOnlyList<int> steps, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null, int? shots = null) =>
        new(dataset, steps, steps.Select(s => BaseCell(s, dataset, format, method, shots)).ToList());

    /// <summary>Fine-tuned per-item scores (a run per seed) at each of <paramref name="steps"/>.</summary>
    public ItemCurve FineTunedCurve(IReadOnlyList<int> steps, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        new(dataset, steps, steps.Select(s => FineTunedCell(s, trainSet, dataset, format, method)).ToList());

    public ItemCurve InstructedCurve(IReadOnlyList<int> steps, string dataset) =>
        new(dataset, steps, steps.Select(s => InstructedCell(s, dataset)).ToList());

    /// <summary>Fine-tuned vs base at the same shots on the same items: the pair a gain is judged on.</summary>
    public PairedCurve FineTunedVsBase(IReadOnlyList<int> steps, string trainSet, string dataset) =>
        new(FineTunedCurve(steps, trainSet, dataset), BaseCurve(steps, dataset, shots: Scale.FineTunedShots));

    public PairedCurve InstructedVsBase(IReadOnlyList<int> steps, string dataset) =>
        new(InstructedCurve(steps, dataset), BaseCurve(steps, dataset));

    /// <summary>The share of the most frequent predicted label of a fine-tuned classifier, the smallest over seeds
    /// (so a checkpoint counts as constant only when every seed's model is).</summary>
    public double TopLabelShare(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        Seeds.Min(seed =>
        {
            var shares = Result(ModelRef.FineTuned(step, trainSet, seed), dataset, format, method).LabelShare;
            // No shares means no predicted labels were recorded: a 0 here would read as "discriminates" and let a
            // constant model into the format trend, so it is an error, not a default.
            if (shares.Count == 0)
                throw new InvalidOperationException($"{dataset} ({format}) after fine-tuning on {trainSet}, seed {seed}, step {step}: the result records no predicted labels");
            return shares.Values.Max();
        });

    public static IReadOnlyList<double> Items(EvalResult r) => r.Items.Select(i => i.Score).ToList();

    public static Estimate Primary(EvalResult r) => r.Metrics.TryGetValue("acc", out var acc) ? acc : r.Metrics["rougeL"];
}
