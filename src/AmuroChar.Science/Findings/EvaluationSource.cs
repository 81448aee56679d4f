using AmuroChar.Evaluation;
using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>
/// Where <see cref="Measurements"/> gets evaluations and the little it needs to know about a set (how many labels it
/// has, what guessing scores). A study answers from its result store (<see cref="StudyEvaluations"/>); a recording
/// source (<see cref="RecordingEvaluations"/>) answers with placeholders and writes down what was asked, which is how
/// a finding's requirements are derived from the code that reads them instead of being listed by hand.
/// </summary>
public interface IEvaluationSource
{
    /// <param name="shots">null: the scale's default for that kind of model (<see cref="Measurements.Result"/> normalises).</param>
    EvalResult Evaluate(ModelRef model, string dataset, string format, string? method, int? shots);

    /// <summary>The number of labels of a classification set (0 for a set without labels).</summary>
    int LabelCount(string dataset);

    /// <summary>What guessing scores on <paramref name="result"/>'s items: 1 / labels for classification, the mean of
    /// 1 / choices for multiple choice; an error for sets with no chance level (generation, chat).</summary>
    double Chance(string dataset, EvalResult result);
}

/// <summary>A study's evaluations, computed or read from its result store, and its datasets' tasks.</summary>
sealed class StudyEvaluations(StudyEngine study) : IEvaluationSource
{
    public EvalResult Evaluate(ModelRef model, string dataset, string format, string? method, int? shots) =>
        study.Evaluate(model, dataset, format, method, shots);

    public int LabelCount(string dataset) => study.Datasets.Resolve(dataset).Task.Labels.Count;

    public double Chance(string dataset, EvalResult result)
    {
        var task = study.Datasets.Resolve(dataset).Task;
        return task.Kind switch
        {
            TaskKind.Classification => 1.0 / task.Labels.Count,
            TaskKind.MultipleChoice => ChoiceChance(dataset, result),
            _ => throw new InvalidOperationException($"{dataset}: a {task.Kind} set has no chance level; discrimination is defined for labels and choices"),
        };
    }

    double ChoiceChance(string dataset, EvalResult result)
    {
        var choices = study.Datasets.Resolve(dataset).Examples.ToDictionary(e => e.Id, e => e.Choices?.Count ?? 0);
        return result.Items.Average(i => choices.TryGetValue(i.Id, out int k) && k > 1 ? 1.0 / k
            : throw new InvalidOperationException($"{dataset}: item {i.Id} has {(choices.ContainsKey(i.Id) ? "fewer than two choices" : "no example in the set")}"));
    }
}

/// <summary>
/// Answers every evaluation with the same well-formed placeholder and records what was asked, as a
/// <see cref="Requirement"/>, in the order first asked. The placeholder is shaped so that everything a finding does
/// with a result works on it: every set has the same <see cref="PlaceholderItems"/> items (paired cells line up),
/// both labels are predicted and both are gold (label shares and balanced accuracy are defined), scores vary
/// (trends and bootstraps have something to resample), and the metrics every finding reads are there. It reads no
/// inputs, so planning needs only the scale and the checkpoints.
/// </summary>
public sealed class RecordingEvaluations : IEvaluationSource
{
    public const int PlaceholderItems = 4;

    readonly object _gate = new();
    readonly List<Requirement> _asked = [];
    readonly HashSet<Requirement> _seen = [];

    /// <summary>Every evaluation asked for so far, once each, in the order first asked.</summary>
    public IReadOnlyList<Requirement> Asked { get { lock (_gate) return [.. _asked]; } }

    public EvalResult Evaluate(ModelRef model, string dataset, string format, string? method, int? shots)
    {
        var asked = new Requirement(model, dataset, format, method, shots);
        lock (_gate) if (_seen.Add(asked)) _asked.Add(asked);
        return Placeholder(dataset, format, method, shots ?? 0);
    }

    public int LabelCount(string dataset) => 2;

    public double Chance(string dataset, EvalResult result) => 0.5;

    static EvalResult Placeholder(string dataset, string format, string? method, int shots)
    {
        // References a a b b, predictions a b a b: scores 1 0 0 1, both labels half the predictions.
        var items = Enumerable.Range(0, PlaceholderItems).Select(i =>
        {
            string reference = i < PlaceholderItems / 2 ? "a" : "b", prediction = i % 2 == 0 ? "a" : "b";
            return new ItemResult($"placeholder-{i}", prediction, reference, reference == prediction ? 1 : 0);
        }).ToList();
        var mean = Bootstrap.MeanCi(items.Select(i => i.Score).ToList(), Bootstrap.DefaultSeed);
        var metrics = new Dictionary<string, Estimate> { ["acc"] = mean, ["acc_norm"] = mean, ["rougeL"] = mean };
        return new EvalResult(dataset, "placeholder", new EvalSpec(format, method ?? "placeholder", shots), items.Count, metrics,
            new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0.5 }, items);
    }
}
