using System.Text.Json.Nodes;

namespace AmuroChar.Evaluation;

/// <summary>
/// Accuracy of predicted labels against gold labels, with the share of each predicted label (a base model often
/// answers one label for everything, which plain accuracy hides), balanced accuracy (the mean over gold classes of
/// the fraction of that class predicted correctly, as scikit-learn's <c>balanced_accuracy_score</c>), and the
/// per-item 0/1 correctness vector that the bootstrap resamples.
/// </summary>
public sealed record ClassificationResult(
    IReadOnlyList<double> Correct,
    double Accuracy,
    double BalancedAccuracy,
    IReadOnlyDictionary<string, double> LabelShare)
{
    public int N => Correct.Count;

    /// <summary>The reported metric: accuracy with its bootstrap interval; balanced accuracy and label shares as
    /// extras (<c>label_share</c> keys in the order of <see cref="LabelShare"/>).</summary>
    public MetricResult ToMetric(int seed, string name = "accuracy", int resamples = Bootstrap.DefaultResamples)
    {
        var shares = new JsonObject();
        foreach (var (label, share) in LabelShare) shares[label] = share;
        return new MetricResult(name, Bootstrap.MeanCi(Correct, seed, resamples))
        {
            Extra = new JsonObject { ["balanced_accuracy"] = BalancedAccuracy, ["label_share"] = shares },
        };
    }
}

public static class ClassificationMetrics
{
    /// <summary>The key under which predictions that are no label at all (null) are counted.</summary>
    public const string NoLabel = "<none>";

    /// <summary>
    /// Scores <paramref name="predictions"/> (already mapped to a label; null when the output matched none) against
    /// <paramref name="gold"/>, comparing ordinally. <paramref name="labels"/> fixes the order of the label shares:
    /// every label is listed (0 when never predicted), then any other predicted strings in ordinal order, then
    /// <see cref="NoLabel"/> if some prediction was null.
    /// </summary>
    public static ClassificationResult Score(IReadOnlyList<string?> predictions, IReadOnlyList<string> gold, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(labels);
        if (predictions.Count != gold.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {gold.Count} gold labels", nameof(predictions));
        if (gold.Count == 0) throw new ArgumentException("no items to score", nameof(gold));

        int n = gold.Count;
        var correct = new double[n];
        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        var perClass = new Dictionary<string, (int Right, int Total)>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string? p = predictions[i];
            string g = gold[i] ?? throw new ArgumentException($"gold label {i} is null", nameof(gold));
            bool right = p is not null && string.Equals(p, g, StringComparison.Ordinal);
            correct[i] = right ? 1 : 0;

            string key = p ?? NoLabel;
            predicted[key] = predicted.GetValueOrDefault(key) + 1;
            var (r, t) = perClass.GetValueOrDefault(g);
            perClass[g] = (r + (right ? 1 : 0), t + 1);
        }

        var shares = new OrderedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var label in labels) shares[label] = predicted.GetValueOrDefault(label) / (double)n;
        foreach (var other in predicted.Keys.Where(k => k != NoLabel && !shares.ContainsKey(k)).Order(StringComparer.Ordinal))
            shares[other] = predicted[other] / (double)n;
        if (predicted.TryGetValue(NoLabel, out int none) && !shares.ContainsKey(NoLabel)) shares[NoLabel] = none / (double)n;

        double balanced = perClass.Values.Average(c => c.Right / (double)c.Total);
        return new ClassificationResult(correct, Bootstrap.Mean(correct), balanced, shares);
    }
}
