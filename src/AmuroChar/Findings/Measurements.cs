using System.Collections.Concurrent;
using AmuroChar.Evaluation;
using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>
/// The findings' access to the study: evaluation results by (model, dataset, format, method), paired differences
/// between two models on the same items, and the checkpoints each kind of experiment runs at. Every result comes
/// from the study's result store, so findings that need the same evaluation share it.
/// </summary>
public sealed class Measurements(AmuroChar.Study.Study study)
{
    const int BootstrapSeed = Statistics.Seed;
    readonly ConcurrentDictionary<string, EvalResult> _memo = new();

    public AmuroChar.Study.Study Study => study;
    public Scale Scale => study.Scale;

    /// <summary>Every pre-training checkpoint (base-model measurements).</summary>
    public IReadOnlyList<int> Checkpoints => study.Inputs.Checkpoints;

    /// <summary>The checkpoints that are fine-tuned (the scale may leave out the random initialisation).</summary>
    public IReadOnlyList<int> FineTuneCheckpoints => Checkpoints.Where(c => c >= Scale.FirstFineTunedStep).ToList();

    public IReadOnlyList<long> Seeds => Scale.FineTuneSeeds;

    public EvalResult Result(ModelRef model, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        _memo.GetOrAdd($"{model}|{dataset}|{format}|{method}", _ => study.Evaluate(model, dataset, format, method));

    /// <summary>The primary metric (accuracy, or ROUGE-L for generation) with its 95% CI.</summary>
    public Estimate Score(ModelRef model, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        Primary(Result(model, dataset, format, method));

    /// <summary>A fine-tuned score averaged over the scale's fine-tuning seeds (item scores averaged per item).</summary>
    public Estimate FineTunedScore(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        Bootstrap.MeanCi(FineTunedItems(step, trainSet, dataset, format, method), BootstrapSeed);

    /// <summary>Fine-tuned minus base on the same items (paired bootstrap).</summary>
    public Estimate Gain(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        Bootstrap.DifferenceCi(FineTunedItems(step, trainSet, dataset, format, method), Items(Result(ModelRef.Base(step), dataset, format, method)), BootstrapSeed);

    /// <summary>Instruction-tuned minus base on the same items.</summary>
    public Estimate InstructionGain(int step, string dataset) =>
        Bootstrap.DifferenceCi(Items(Result(ModelRef.InstructionTuned(step), dataset)), Items(Result(ModelRef.Base(step), dataset)), BootstrapSeed);

    /// <summary>Paired difference a − b of two lists of per-item scores.</summary>
    public static Estimate Difference(IReadOnlyList<double> a, IReadOnlyList<double> b) => Bootstrap.DifferenceCi(a, b, BootstrapSeed);

    public static Estimate Mean(IReadOnlyList<double> items) => Bootstrap.MeanCi(items, BootstrapSeed);

    public IReadOnlyList<double> FineTunedItems(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null)
    {
        var perSeed = Seeds.Select(seed => Items(Result(ModelRef.FineTuned(step, trainSet, seed), dataset, format, method))).ToList();
        return Enumerable.Range(0, perSeed[0].Count).Select(i => perSeed.Average(s => s[i])).ToList();
    }

    public IReadOnlyList<double> BaseItems(int step, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        Items(Result(ModelRef.Base(step), dataset, format, method));

    /// <summary>A base model's per-item scores at each of <paramref name="steps"/>: the numbers a verdict judges.</summary>
    public ItemCurve BaseCurve(IReadOnlyList<int> steps, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        new(dataset, steps, steps.Select(s => BaseItems(s, dataset, format, method)).ToList());

    /// <summary>Fine-tuned per-item scores (averaged over seeds) at each of <paramref name="steps"/>.</summary>
    public ItemCurve FineTunedCurve(IReadOnlyList<int> steps, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        new(dataset, steps, steps.Select(s => FineTunedItems(s, trainSet, dataset, format, method)).ToList());

    public ItemCurve InstructedCurve(IReadOnlyList<int> steps, string dataset) =>
        new(dataset, steps, steps.Select(s => Items(Result(ModelRef.InstructionTuned(s), dataset))).ToList());

    /// <summary>Fine-tuned vs base on the same items: the pair a gain is judged on.</summary>
    public PairedCurve FineTunedVsBase(IReadOnlyList<int> steps, string trainSet, string dataset) =>
        new(FineTunedCurve(steps, trainSet, dataset), BaseCurve(steps, dataset));

    public PairedCurve InstructedVsBase(IReadOnlyList<int> steps, string dataset) =>
        new(InstructedCurve(steps, dataset), BaseCurve(steps, dataset));

    /// <summary>The share of the most frequent predicted label of a fine-tuned classifier, the smallest over seeds
    /// (so a checkpoint counts as constant only when every seed's model is).</summary>
    public double TopLabelShare(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null) =>
        Seeds.Min(seed => Result(ModelRef.FineTuned(step, trainSet, seed), dataset, format, method).LabelShare.Values.DefaultIfEmpty(0).Max());

    public static IReadOnlyList<double> Items(EvalResult r) => r.Items.Select(i => i.Score).ToList();

    public static Estimate Primary(EvalResult r) => r.Metrics.TryGetValue("acc", out var acc) ? acc : r.Metrics["rougeL"];
}
