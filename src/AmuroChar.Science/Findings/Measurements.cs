using AmuroChar.Checkpoints;
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
public sealed class Measurements
{
    readonly ConcurrentDictionary<string, EvalResult> _memo = new();
    readonly AsyncLocal<Dictionary<string, EvalResult>?> _reads = new();
    readonly AmuroChar.Study.StudyEngine? _study;
    readonly IEvaluationSource _source;
    // Read when asked, as before the source was split out: a study's inputs may find their checkpoints lazily.
    readonly Func<Scale> _scale;
    readonly Func<IReadOnlyList<int>> _checkpoints;
    readonly Func<long?> _worldSeed;

    public Measurements(AmuroChar.Study.StudyEngine study)
        : this(new StudyEvaluations(study), () => study.Scale, () => study.Inputs.Checkpoints, () => (study.Inputs as AmuroChar.Study.TinyInputs)?.WorldSeed) =>
        _study = study;

    Measurements(IEvaluationSource source, Func<Scale> scale, Func<IReadOnlyList<int>> checkpoints, Func<long?> worldSeed) =>
        (_source, _scale, _checkpoints, _worldSeed) = (source, scale, checkpoints, worldSeed);

    /// <summary>Measurements that read nothing: every evaluation is answered by <paramref name="recorder"/>'s
    /// placeholder and written down there (<see cref="Declaration"/> derives requirements this way). Only the scale,
    /// the checkpoints and the seeds are real.</summary>
    public static Measurements Recording(Scale scale, IReadOnlyList<int> checkpoints, RecordingEvaluations recorder) =>
        new(recorder, () => scale, () => checkpoints, () => null);

    /// <summary>The study the results come from; recording measurements (<see cref="Recording"/>) have none.</summary>
    public AmuroChar.Study.StudyEngine Study => _study ?? throw new InvalidOperationException(
        "these measurements only record what the findings read (Measurements.Recording): they have no study");
    public Scale Scale => _scale();
    /// <summary>The tiny world's seed; null at the paper scale (no world) and when recording.</summary>
    public long? WorldSeed => _worldSeed();

    /// <summary>Every pre-training checkpoint (base-model measurements).</summary>
    public IReadOnlyList<int> Checkpoints => _checkpoints();

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
        string key = $"{model} on {dataset} ({format}{(method is null ? "" : $", {method}")}{(shots is null ? "" : $", {shots} shots")})";
        var result = _memo.GetOrAdd(key, _ => _source.Evaluate(model, dataset, format, method, shots));
        _reads.Value?.TryAdd(key, result);
        return result;
    }

    /// <summary>Runs <paramref name="measure"/> and returns, for every evaluation it read, <see cref="ScoredItemsDigest"/>
    /// by a readable name of the evaluation (per async flow, so findings measured in parallel don't mix).</summary>
    public IReadOnlyDictionary<string, string> Tracking(Action measure)
    {
        var outer = _reads.Value;
        var reads = new Dictionary<string, EvalResult>(StringComparer.Ordinal);
        _reads.Value = reads;
        try { measure(); }
        finally { _reads.Value = outer; }
        if (outer is not null) foreach (var (k, v) in reads) outer.TryAdd(k, v);
        return reads.ToDictionary(p => p.Key, p => ScoredItemsDigest(p.Value), StringComparer.Ordinal);
    }

    /// <summary>The first 16 hex digits of SHA-256 over every item's id, prediction and score (round-trip format):
    /// equal exactly when the same items were answered and scored the same.</summary>
    public static string ScoredItemsDigest(EvalResult r)
    {
        var text = new System.Text.StringBuilder();
        foreach (var i in r.Items)
            text.Append(i.Id).Append('\t').Append(i.Prediction).Append('\t').Append(i.Score.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    int DefaultShots(ModelRef model) => Scale.ShotsFor(model);

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

    /// <summary>An instruction-tuned model's per-item scores, one run per instruction-tuning seed (one seed group:
    /// seed r set the data order of run r at every checkpoint).</summary>
    public Cell InstructedCell(int step, string dataset) =>
        new(dataset, Scale.InstructionSeeds.Select(seed => Items(Result(ModelRef.InstructionTuned(step, seed), dataset))).ToList(), "instruct");

    /// <summary>An instruction-tuned score: the mean over seeds and items, its CI resampling both.</summary>
    public Estimate InstructedScore(int step, string dataset) => HierarchicalBootstrap.Mean(InstructedCell(step, dataset));

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
    public double TopLabelShare(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null)
    {
        var (run, top) = LeastConstantRun(step, trainSet, dataset, format, method);
        return run.LabelShare[top];
    }

    /// <summary>
    /// <see cref="TopLabelShare"/> as a baseline metric: the share of items the least constant seed's model gives its
    /// most frequent label, with a bootstrap interval over items (so another platform compares it statistically).
    /// </summary>
    public Estimate TopLabelShareEstimate(int step, string trainSet, string dataset, string format = TaskDefinition.DefaultFormat)
    {
        var (run, top) = LeastConstantRun(step, trainSet, dataset, format, method: null);
        return Bootstrap.MeanCi(run.Items.Select(i => i.Prediction == top ? 1.0 : 0.0).ToList(), Bootstrap.DefaultSeed);
    }

    /// <summary>The seed's result whose most frequent label has the smallest share, and that label.</summary>
    (EvalResult Run, string Top) LeastConstantRun(int step, string trainSet, string dataset, string format, string? method)
    {
        var runs = Seeds.Select(seed =>
        {
            var result = Result(ModelRef.FineTuned(step, trainSet, seed), dataset, format, method);
            // No shares means no predicted labels were recorded: a 0 here would read as "discriminates" and let a
            // constant model into the format trend, so it is an error, not a default.
            if (result.LabelShare.Count == 0)
                throw new InvalidOperationException($"{dataset} ({format}) after fine-tuning on {trainSet}, seed {seed}, {CheckpointStep.Name(step)}: the result records no predicted labels");
            return (Run: result, Top: result.LabelShare.MaxBy(p => p.Value).Key);
        }).ToList();
        return runs.MinBy(r => r.Run.LabelShare[r.Top]);
    }

    /// <summary>Whether the base model at <paramref name="step"/> tells <paramref name="dataset"/>'s answers apart
    /// (<see cref="Discrimination"/>): the gate of the "unchanged" and "little" claims, which only a cell with
    /// something to lose can test.</summary>
    public Discrimination BaseDiscrimination(int step, string dataset, int? shots = null)
    {
        var result = Result(ModelRef.Base(step), dataset, shots: shots);
        return Discrimination.Of(result.Items.Select(i => i.Score > 0.5).ToList(), result.Items.Select(i => i.Reference).ToList(), _source.Chance(dataset, result),
            $"{dataset}|{step}|{shots}");
    }

    /// <summary>How a base model's balanced accuracy on a classification set moves from <paramref name="first"/> to
    /// <paramref name="last"/> (<see cref="Discrimination.Change"/>): what a base curve's flatness is judged on, so a
    /// model that answers one label throughout reads as flat whichever label it answers.</summary>
    public Estimate BaseBalancedChange(int first, int last, string dataset, int? shots = null)
    {
        var a = Result(ModelRef.Base(first), dataset, shots: shots);
        var b = Result(ModelRef.Base(last), dataset, shots: shots);
        return Discrimination.Change(a.Items.Select(i => i.Score > 0.5).ToList(), b.Items.Select(i => i.Score > 0.5).ToList(),
            a.Items.Select(i => i.Reference).ToList(), $"{dataset}|{first}|{last}|{shots}");
    }

    /// <summary>The number of labels of a classification set (what its chance level is).</summary>
    public int LabelCount(string dataset) => _source.LabelCount(dataset);

    public static IReadOnlyList<double> Items(EvalResult r) => r.Items.Select(i => i.Score).ToList();

    public static Estimate Primary(EvalResult r) => r.Metrics.TryGetValue("acc", out var acc) ? acc : r.Metrics["rougeL"];
}
