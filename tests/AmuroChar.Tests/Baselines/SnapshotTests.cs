using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>A fresh baselines directory per test (tests run in parallel), laid out as baselines/scale/finding/.</summary>
public abstract class SnapshotTestBase : IDisposable
{
    protected readonly string Root = Path.Combine(Path.GetTempPath(), "amurochar-baseline-tests", Guid.NewGuid().ToString("N"));
    protected string Dir => Path.Combine(Root, "tiny", "finetune_gains");
    protected const string Name = "step-1000";
    protected string VerifiedFile => Path.Combine(Dir, Name + ".json");
    protected string ReceivedFile => Path.Combine(Dir, Name + ".received.json");

    protected static Dictionary<string, Estimate> Metrics(params (string Name, Estimate E)[] items) =>
        items.ToDictionary(i => i.Name, i => i.E);

    protected static Dictionary<string, Estimate> Sample() => Metrics(
        ("mnli_matched/ft/acc", new Estimate(0.73119, 0.68912, 0.77104, 420)),
        ("xsum/ft/rougeL", new Estimate(0.41226, 0.39703, 0.42811, 200)));

    protected SnapshotResult Verify(IReadOnlyDictionary<string, Estimate> measured, bool accept = false, ToleranceRule? rule = null) =>
        Snapshot.Verify(Dir, Name, measured, rule ?? ToleranceRule.Default, accept);

    /// <summary>Shows a report in the test output (dotnet test --logger "console;verbosity=detailed").</summary>
    protected static void Show(SnapshotResult result) => TestContext.Current.TestOutputHelper?.WriteLine(result.Diff);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
        GC.SuppressFinalize(this);
    }
}

public class SnapshotTests : SnapshotTestBase
{
    [Fact]
    public void Accepting_writes_the_baseline_and_an_identical_measurement_then_matches()
    {
        var accepted = Verify(Sample(), accept: true);
        Assert.True(accepted.Accepted && accepted.Passed);
        Assert.False(accepted.BaselineFound);
        Assert.True(File.Exists(VerifiedFile));

        var back = BaselineFile.Read(VerifiedFile);
        Assert.Equal(new Estimate(0.7312, 0.6891, 0.7710, 420), back["mnli_matched/ft/acc"]);
        Assert.Equal(new Estimate(0.4123, 0.3970, 0.4281, 200), back["xsum/ft/rougeL"]);

        // Same measurement, exact: matches its own rounded baseline, and nothing is left behind.
        var again = Verify(Sample());
        Show(again);
        Assert.True(again.Matched && again.Passed && again.BaselineFound);
        Assert.False(again.Accepted);
        Assert.Null(again.ReceivedPath);
        Assert.False(File.Exists(ReceivedFile));
        Assert.All(again.Rows, r => Assert.Equal(MetricStatus.Ok, r.Status));
    }

    [Fact]
    public void The_file_is_byte_identical_whatever_the_insertion_order_and_one_metric_per_line()
    {
        var forward = Sample();
        var backward = Sample().Reverse().ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(BaselineFile.Format(forward), BaselineFile.Format(backward));
        Assert.Equal(
            "{\n" +
            "  \"metrics\": {\n" +
            "    \"mnli_matched/ft/acc\": {\"mean\": 0.7312, \"ci95\": [0.6891, 0.7710], \"n\": 420},\n" +
            "    \"xsum/ft/rougeL\": {\"mean\": 0.4123, \"ci95\": [0.3970, 0.4281], \"n\": 200}\n" +
            "  }\n" +
            "}\n",
            BaselineFile.Format(backward));

        Verify(forward, accept: true);
        byte[] first = File.ReadAllBytes(VerifiedFile);
        Verify(backward, accept: true);
        Assert.Equal(first, File.ReadAllBytes(VerifiedFile));
    }

    [Fact]
    public void Ordinal_order_escaping_and_number_formatting_are_fixed()
    {
        string text = BaselineFile.Format(Metrics(
            ("b", new Estimate(-0.00001, -0.00004, 0.00002, 3)),     // rounds to zero: "0.0000", never "-0.0000"
            ("B \"quoted\"", new Estimate(12.345678, 12, 13, 1)),
            ("a", new Estimate(-0.5, -0.75, -0.25, 0))));
        string[] lines = text.Split('\n');
        Assert.Equal("    \"B \\\"quoted\\\"\": {\"mean\": 12.3457, \"ci95\": [12.0000, 13.0000], \"n\": 1},", lines[2]);
        Assert.Equal("    \"a\": {\"mean\": -0.5000, \"ci95\": [-0.7500, -0.2500], \"n\": 0},", lines[3]);
        Assert.Equal("    \"b\": {\"mean\": 0.0000, \"ci95\": [0.0000, 0.0000], \"n\": 3}", lines[4]);
        Assert.Equal("B \"quoted\"", BaselineFile.Parse(text, "t").Keys.First());
    }

    [Fact]
    public void A_change_within_the_confidence_interval_matches()
    {
        Verify(Sample(), accept: true);
        var moved = Sample();
        // Baseline half-width (0.7710 - 0.6891) / 2 = 0.04095; a move of 0.03 is noise.
        moved["mnli_matched/ft/acc"] = new Estimate(0.76119, 0.72, 0.80, 420);
        var result = Verify(moved);
        Show(result);
        Assert.True(result.Matched);
        var row = result.Rows.Single(r => r.Metric == "mnli_matched/ft/acc");
        Assert.Equal(0.04095 + BaselineFile.RoundingSlack, row.Tolerance!.Value, 1e-12);
        Assert.Equal(0.76119 - 0.7312, row.Difference!.Value, 1e-12);
    }

    /// <summary>Issue 17: under the exact rule a moved bound with an unmoved mean (other items right, same count) is a
    /// change; under a statistical rule only the mean is compared.</summary>
    [Fact]
    public void The_exact_rule_compares_the_interval_too()
    {
        var baseline = Metrics(("paws/acc", new Estimate(0.5, 0.45, 0.55, 400)));
        var sameMeanOtherItems = Metrics(("paws/acc", new Estimate(0.5, 0.44, 0.56, 400)));
        var rounded = Metrics(("paws/acc", new Estimate(0.500004, 0.450004, 0.549996, 400)));
        Assert.Equal(MetricStatus.Changed, Snapshot.Compare(baseline, sameMeanOtherItems, ToleranceRule.Exact).Single().Status);
        Assert.Equal(MetricStatus.Ok, Snapshot.Compare(baseline, rounded, ToleranceRule.Exact).Single().Status);
        Assert.Equal(MetricStatus.Ok, Snapshot.Compare(baseline, sameMeanOtherItems, ToleranceRule.CrossPlatform).Single().Status);
    }

    [Fact]
    public void The_larger_interval_and_the_multiplier_set_the_tolerance()
    {
        var rule = ToleranceRule.CiHalfWidth(multiplier: 2);
        var narrow = new Estimate(0.5, 0.49, 0.51, 100);
        var wide = new Estimate(0.5, 0.40, 0.60, 100);
        Assert.Equal(0.2, rule.For(narrow, wide), 1e-12);
        Assert.Equal(0.2, rule.For(wide, narrow), 1e-12);
        Assert.Equal(1e-9, ToleranceRule.Default.For(new Estimate(1, 1, 1, 5), new Estimate(1, 1, 1, 5)));
        Assert.Equal(0.05, ToleranceRule.Absolute(0.05).For(wide, wide));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToleranceRule.CiHalfWidth(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToleranceRule.CiHalfWidth(1, double.NaN));
    }

    [Fact]
    public void A_change_beyond_tolerance_fails_writes_the_received_file_and_names_both_values()
    {
        Verify(Sample(), accept: true);
        byte[] baselineBefore = File.ReadAllBytes(VerifiedFile);
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);

        var result = Verify(moved);
        Show(result);
        Assert.False(result.Passed);
        Assert.Equal(ReceivedFile, result.ReceivedPath);
        Assert.Equal(BaselineFile.Format(moved), File.ReadAllText(ReceivedFile));
        Assert.Equal(baselineBefore, File.ReadAllBytes(VerifiedFile));   // the baseline is never touched without accepting

        var row = result.Rows.Single(r => r.Status != MetricStatus.Ok);
        Assert.Equal(("xsum/ft/rougeL", MetricStatus.Changed), (row.Metric, row.Status));
        Assert.Contains("1 of 2 metrics differ (1 CHANGED)", result.Diff);
        string line = result.Diff.Split('\n').Single(l => l.Contains("xsum/ft/rougeL"));
        Assert.Contains("0.4123 [0.3970, 0.4281] n=200", line);
        Assert.Contains("0.3500 [0.3350, 0.3660] n=200", line);
        Assert.Contains("-0.0623", line);
        Assert.EndsWith("CHANGED", line);
        Assert.Contains("amurochar baselines accept", result.Diff);
        Assert.Contains("AMUROCHAR_ACCEPT_BASELINES=1", result.Diff);
    }

    [Fact]
    public void A_different_item_count_is_a_change_even_with_the_same_mean()
    {
        Verify(Sample(), accept: true);
        var fewer = Sample();
        fewer["xsum/ft/rougeL"] = Sample()["xsum/ft/rougeL"] with { N = 100 };
        var result = Verify(fewer);
        Assert.False(result.Passed);
        Assert.Contains("CHANGED (n 200 -> 100)", result.Diff);
    }

    [Fact]
    public void A_missing_baseline_fails_writes_the_received_file_and_says_how_to_create_it()
    {
        var result = Verify(Sample());
        Show(result);
        Assert.False(result.Passed);
        Assert.False(result.BaselineFound);
        Assert.False(File.Exists(VerifiedFile));
        Assert.True(File.Exists(ReceivedFile));
        Assert.Contains($"Baseline {VerifiedFile} does not exist", result.Diff);
        Assert.Contains("amurochar baselines accept", result.Diff);
        Assert.All(result.Rows, r => Assert.Equal(MetricStatus.New, r.Status));

        // Failing again is still failing: a missing baseline is never created behind the caller's back.
        Assert.False(Verify(Sample()).Passed);
        Assert.False(File.Exists(VerifiedFile));
    }

    [Fact]
    public void Accepting_by_parameter_replaces_the_baseline_and_removes_the_received_file()
    {
        Verify(Sample(), accept: true);
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        Assert.False(Verify(moved).Passed);
        Assert.True(File.Exists(ReceivedFile));

        var accepted = Verify(moved, accept: true);
        Show(accepted);
        Assert.True(accepted.Accepted && accepted.Passed);
        Assert.False(accepted.Matched);   // it did differ from the old baseline, and the report says so
        Assert.Contains("1 of 2 metrics differ (1 CHANGED) vs. the previous baseline", accepted.Diff);
        Assert.False(File.Exists(ReceivedFile));
        Assert.Equal(BaselineFile.Format(moved), File.ReadAllText(VerifiedFile));
        Assert.True(Verify(moved).Matched);
    }

    [Fact]
    public void Accepting_leaves_an_unchanged_baseline_untouched()
    {
        Verify(Sample(), accept: true);
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(VerifiedFile, past);
        Assert.True(Verify(Sample(), accept: true).Matched);
        Assert.Equal(past, File.GetLastWriteTimeUtc(VerifiedFile));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_accept_switch_is_read_through_an_injectable_lookup(string? value, bool expected)
    {
        // No process-wide environment change: other tests run at the same time.
        string? Lookup(string name) => name == Snapshot.AcceptVariable ? value : null;
        Assert.Equal(expected, Snapshot.AcceptFromEnvironment(Lookup));

        var result = Verify(Sample(), accept: Snapshot.AcceptFromEnvironment(Lookup));
        Assert.Equal(expected, result.Passed);
        Assert.Equal(expected, File.Exists(VerifiedFile));
        Assert.Equal(!expected, File.Exists(ReceivedFile));
    }

    [Fact]
    public void A_match_removes_a_stale_received_file()
    {
        Verify(Sample(), accept: true);
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        Verify(moved);
        Assert.True(File.Exists(ReceivedFile));
        Assert.True(Verify(Sample()).Matched);
        Assert.False(File.Exists(ReceivedFile));
    }

    [Fact]
    public void New_and_missing_metrics_are_mismatches()
    {
        Verify(Sample(), accept: true);
        var changed = Sample();
        changed.Remove("xsum/ft/rougeL");
        changed["arc_easy/ft/acc"] = new Estimate(0.61, 0.57, 0.65, 500);

        var result = Verify(changed);
        Show(result);
        Assert.False(result.Passed);
        Assert.Equal(
            [("arc_easy/ft/acc", MetricStatus.New), ("mnli_matched/ft/acc", MetricStatus.Ok), ("xsum/ft/rougeL", MetricStatus.Missing)],
            result.Rows.Select(r => (r.Metric, r.Status)));
        Assert.Contains("2 of 3 metrics differ (1 NEW, 1 MISSING)", result.Diff);
        Assert.EndsWith("NEW", result.Diff.Split('\n').Single(l => l.Contains("arc_easy/ft/acc")));
        Assert.EndsWith("MISSING", result.Diff.Split('\n').Single(l => l.Contains("xsum/ft/rougeL")));
    }

    [Fact]
    public void A_zero_width_interval_requires_equality_at_the_files_precision()
    {
        // A deterministic metric: its interval is a point. 1/3 is stored as 0.3333 and must still match itself.
        var exact = Metrics(("count/ratio", new Estimate(1.0 / 3, 1.0 / 3, 1.0 / 3, 9)));
        Verify(exact, accept: true);
        Assert.True(Verify(exact).Matched);

        // Float noise (below the 1e-9 floor) passes, also where the stored value sits on a rounding midpoint.
        Assert.True(Verify(Metrics(("count/ratio", new Estimate(1.0 / 3 + 1e-12, 1.0 / 3, 1.0 / 3, 9)))).Matched);
        var midpoint = Metrics(("m", new Estimate(0.12345, 0.12345, 0.12345, 1)));   // stored as 0.1235 (or 0.1234)
        Snapshot.Verify(Dir, "midpoint", midpoint, ToleranceRule.Default, accept: true);
        foreach (double noise in new[] { -1e-10, 1e-10 })
            Assert.True(Snapshot.Verify(Dir, "midpoint", Metrics(("m", new Estimate(0.12345 + noise, 0.12345, 0.12345, 1))), ToleranceRule.Default, accept: false).Matched);

        // One unit in the last stored decimal is a change.
        var result = Verify(Metrics(("count/ratio", new Estimate(1.0 / 3 + 1e-4, 1.0 / 3 + 1e-4, 1.0 / 3 + 1e-4, 9))));
        Show(result);
        Assert.False(result.Passed);
        Assert.Equal(MetricStatus.Changed, result.Rows.Single().Status);
    }

    [Fact]
    public void The_diff_table_is_aligned_and_readable()
    {
        var baseline = Sample();
        baseline["a/exact"] = new Estimate(0.25, 0.2, 0.3, 40);   // representable at 4 decimals: difference exactly 0
        Verify(baseline, accept: true);
        var changed = new Dictionary<string, Estimate>(baseline);
        changed["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        changed["z/new"] = new Estimate(1, 1, 1, 10);
        var result = Verify(changed);
        Show(result);

        string[] table = result.Diff.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("metric ", StringComparison.Ordinal))
            .TakeWhile(l => l.Length > 0).ToArray();
        Assert.Equal(6, table.Length);   // header, rule, four metrics
        Assert.Matches(@"^  metric +baseline mean \[95% CI\] n +measured mean \[95% CI\] n +diff +tolerance +status$", table[0]);
        Assert.Matches("^  -+ +-+ +-+ +-+ +-+ +-+$", table[1]);
        // Every column starts where its header does.
        foreach (string header in new[] { "baseline mean", "measured mean", "status" })
        {
            int column = table[0].IndexOf(header, StringComparison.Ordinal);
            Assert.All(table[2..], line => Assert.NotEqual(' ', line[column]));
            Assert.All(table[2..], line => Assert.Equal(' ', line[column - 1]));
        }
        Assert.Contains(" 0  ", table[2]);    // a/exact: bitwise equal, so "0" rather than "+0.0000"
        Assert.Contains("-1.0e-5", table[3]);  // mnli: 0.73119 against the stored 0.7312, float-noise sized
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("step.json")]
    [InlineData("step.received")]
    [InlineData("")]
    public void A_name_must_be_a_plain_file_name_without_extension(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => Snapshot.Verify(Dir, name, Sample(), ToleranceRule.Default, accept: true));

    [Fact]
    public void Measurements_json_cannot_hold_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Verify(Metrics(("nan", new Estimate(double.NaN, 0, 1, 3))), accept: true));
        Assert.Throws<ArgumentException>(() => Verify(Metrics(("inverted", new Estimate(0.5, 0.6, 0.4, 3))), accept: true));
        Assert.Throws<ArgumentException>(() => Verify(Metrics(), accept: true));
        Assert.False(Directory.Exists(Dir));
    }
}
