using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using AmuroChar.Findings;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>Per-item digests in baselines: stored beside the metrics, compared under the exact rule only, kept by accept.</summary>
public sealed class ScoredItemsTests : SnapshotTestBase
{
    static readonly Dictionary<string, string> Items = new() { ["step-8 on mnli_matched (default)"] = "0123456789abcdef", ["step-8 on paws (default)"] = "fedcba9876543210" };

    [Fact]
    public void Digests_round_trip_after_the_metrics_and_a_malformed_one_names_the_file()
    {
        string text = BaselineFile.Format(Sample(), Items);
        Assert.Contains("\"scored_items\": {\n    \"step-8 on mnli_matched (default)\": \"0123456789abcdef\",", text);
        var read = BaselineFile.ParseBaseline(text, "x.json");
        Assert.Equal(Items, read.ScoredItems);
        Assert.Equal(text, BaselineFile.Format(read));
        var bad = Assert.Throws<InvalidDataException>(() => BaselineFile.ParseBaseline(text.Replace("fedcba9876543210", "xyz"), "baselines/tiny/f/step-8.json"));
        Assert.Contains("baselines/tiny/f/step-8.json", bad.Message);
        Assert.Contains("16 hex digits", bad.Message);
        // No digests: the field is not written at all (files of numbers from elsewhere stay as they were).
        Assert.DoesNotContain("scored_items", BaselineFile.Format(Sample(), null));
    }

    [Fact]
    public void Under_the_exact_rule_a_changed_digest_fails_with_the_same_means_and_elsewhere_it_is_not_compared()
    {
        Assert.True(Snapshot.Verify(Dir, Name, Sample(), ToleranceRule.Exact, accept: true, Items).Passed);
        Assert.True(Snapshot.Verify(Dir, Name, Sample(), ToleranceRule.Exact, accept: false, Items).Passed);
        var moved = new Dictionary<string, string>(Items) { ["step-8 on paws (default)"] = "0000000000000000" };
        var exact = Snapshot.Verify(Dir, Name, Sample(), ToleranceRule.Exact, accept: false, moved);
        Assert.False(exact.Passed);
        var row = Assert.Single(exact.Rows, r => r.Status != MetricStatus.Ok);
        Assert.Equal("scored items: step-8 on paws (default)", row.Metric);
        Assert.Contains("scored items: step-8 on paws (default)", exact.Diff);
        // Another platform scores other items: the statistical rule compares the numbers only, and says so.
        var statistical = Snapshot.Verify(Dir, Name, Sample(), ToleranceRule.CrossPlatform, accept: false, moved);
        Assert.True(statistical.Passed, statistical.Diff);
        Assert.Contains("Per-item digests not compared", statistical.Diff);
    }

    [Fact]
    public void Accepting_received_files_keeps_their_digests()
    {
        Assert.False(Snapshot.Verify(Dir, Name, Sample(), ToleranceRule.Exact, accept: false, Items).Passed);   // no baseline yet
        Snapshot.AcceptAll(Root);
        Assert.Equal(Items, BaselineFile.ReadBaseline(VerifiedFile).ScoredItems);
    }

    [Fact]
    public void The_digest_sees_which_items_were_right_not_only_how_many()
    {
        static EvalResult Result(params double[] scores) => new("d/test", "t", new EvalSpec("default", "generate", 0), scores.Length,
            new Dictionary<string, Estimate>(), new Dictionary<string, double>(), scores.Select((s, i) => new ItemResult($"i{i}", s > 0 ? "yes" : "no", "yes", s)).ToList());
        Assert.Equal(Measurements.ScoredItemsDigest(Result(1, 0, 1)), Measurements.ScoredItemsDigest(Result(1, 0, 1)));
        Assert.NotEqual(Measurements.ScoredItemsDigest(Result(1, 0, 1)), Measurements.ScoredItemsDigest(Result(0, 1, 1)));   // same accuracy
        Assert.Matches("^[0-9a-f]{16}$", Measurements.ScoredItemsDigest(Result(1)));
    }
}
