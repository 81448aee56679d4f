using System.Text.Json.Nodes;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Evaluation;

public class ClassificationMetricsTests
{
    static readonly string[] YesNo = ["yes", "no"];

    [Fact]
    public void A_model_that_always_answers_one_label_shows_in_the_label_share()
    {
        var r = ClassificationMetrics.Score(["yes", "yes", "yes", "yes"], ["yes", "no", "yes", "yes"], YesNo);
        Assert.Equal(0.75, r.Accuracy);
        Assert.Equal(0.5, r.BalancedAccuracy);   // yes: 3/3, no: 0/1
        Assert.Equal([1.0, 0.0, 1.0, 1.0], r.Correct);
        Assert.Equal(["yes", "no"], r.LabelShare.Keys);
        Assert.Equal(1.0, r.LabelShare["yes"]);
        Assert.Equal(0.0, r.LabelShare["no"]);
    }

    [Fact]
    public void Unknown_and_missing_predictions_are_wrong_and_listed_after_the_labels()
    {
        string[] labels = ["entailment", "neutral", "contradiction"];
        var r = ClassificationMetrics.Score(
            ["neutral", "maybe", null, "entailment", "banana", "neutral"],
            ["neutral", "neutral", "neutral", "entailment", "contradiction", "contradiction"], labels);
        Assert.Equal(2 / 6.0, r.Accuracy, 12);
        Assert.Equal((1 / 3.0 + 1 + 0) / 3, r.BalancedAccuracy, 12);   // per gold class: neutral 1/3, entailment 1/1, contradiction 0/2
        Assert.Equal(["entailment", "neutral", "contradiction", "banana", "maybe", ClassificationMetrics.NoLabel], r.LabelShare.Keys);
        Assert.Equal(2 / 6.0, r.LabelShare["neutral"], 12);
        Assert.Equal(0.0, r.LabelShare["contradiction"]);
        Assert.Equal(1 / 6.0, r.LabelShare[ClassificationMetrics.NoLabel], 12);
        Assert.Equal(1.0, r.LabelShare.Values.Sum(), 12);
    }

    [Fact]
    public void Mismatched_or_empty_inputs_are_errors()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Score(["yes"], ["yes", "no"], YesNo));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Score([], [], YesNo));
    }

    [Fact]
    public void Metric_json_has_a_fixed_key_order()
    {
        var r = ClassificationMetrics.Score(["yes", "no", "yes", "yes"], ["yes", "no", "no", "yes"], YesNo);
        var m = r.ToMetric(seed: 1);
        Assert.Equal(Bootstrap.MeanCi(r.Correct, 1), m.Estimate);
        string json = m.ToJson();
        Assert.StartsWith("{\"name\":\"accuracy\",\"mean\":0.75,\"ci95\":[", json);
        Assert.EndsWith(",\"n\":4,\"balanced_accuracy\":0.75,\"label_share\":{\"yes\":0.75,\"no\":0.25}}", json);
        Assert.Equal(json, r.ToMetric(seed: 1).ToJson());
    }

    [Fact]
    public void Metric_extras_cannot_shadow_fixed_keys()
    {
        var m = new MetricResult("x", new Estimate(1, 1, 1, 1)) { Extra = new JsonObject { ["mean"] = 2 } };
        Assert.Throws<InvalidOperationException>(() => m.ToJson());
        Assert.Equal("{\"name\":\"x\",\"mean\":1,\"ci95\":[1,1],\"n\":1}", new MetricResult("x", new Estimate(1, 1, 1, 1)).ToJson());
    }
}
