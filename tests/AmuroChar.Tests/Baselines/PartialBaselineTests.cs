using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>
/// Baselines not measured by this code (the paper's numbers): <c>"n": 0</c> = sample size not recorded, and
/// <c>"partial": true</c> = measured metrics absent from the file are reported, not failed.
/// </summary>
public class PartialBaselineTests : SnapshotTestBase
{
    const string PaperSource = "Sun & Dredze 2024 released results (results/analysis/*.csv)";

    /// <summary>A paper number as the generator writes it: n 0, zero-width interval.</summary>
    static Estimate Paper(double mean) => new(mean, mean, mean, 0);

    void WriteBaseline(Baseline baseline)
    {
        Directory.CreateDirectory(Dir);
        BaselineFile.Write(VerifiedFile, baseline);
    }

    [Fact]
    public void A_baseline_n_of_zero_is_not_compared_and_the_measured_interval_sets_the_tolerance()
    {
        WriteBaseline(new Baseline(Metrics(("mnli_matched/acc", Paper(0.79)))));
        // Measured half-width (0.83 - 0.75) / 2 = 0.04; 0.81 is 0.02 away: a match although n differs (420 vs. 0).
        var result = Verify(Metrics(("mnli_matched/acc", new Estimate(0.81, 0.77, 0.85, 420))));
        Show(result);
        Assert.True(result.Matched);
        var row = result.Rows.Single();
        Assert.Equal(0.04 + BaselineFile.RoundingSlack, row.Tolerance!.Value, 1e-12);
        Assert.Contains("n=?", result.Diff);

        // 0.05 away with the same interval width: changed, and the label doesn't blame n.
        var moved = Verify(Metrics(("mnli_matched/acc", new Estimate(0.84, 0.80, 0.88, 420))));
        Show(moved);
        Assert.False(moved.Passed);
        Assert.Equal("CHANGED", moved.Rows.Single().StatusLabel);
    }

    [Fact]
    public void A_recorded_n_is_still_compared()
    {
        WriteBaseline(new Baseline(Metrics(("m", new Estimate(0.5, 0.5, 0.5, 10)))));
        var result = Verify(Metrics(("m", new Estimate(0.5, 0.4, 0.6, 11))));
        Assert.False(result.Passed);
        Assert.Equal("CHANGED (n 10 -> 11)", result.Rows.Single().StatusLabel);
    }

    [Fact]
    public void A_partial_baseline_lets_extra_measured_metrics_pass_as_not_in_baseline()
    {
        WriteBaseline(new Baseline(Metrics(("mnli_matched/acc", Paper(0.73))), Partial: true, PaperSource));
        var result = Verify(Sample());   // mnli_matched/ft/acc, xsum/ft/rougeL: neither is in the file ...
        Assert.False(result.Passed);     // ... and the file's own metric isn't measured: MISSING still fails.

        var measured = Sample();
        measured["mnli_matched/acc"] = new Estimate(0.74, 0.70, 0.78, 420);
        var matched = Verify(measured);
        Show(matched);
        Assert.True(matched.Matched && matched.Passed);
        Assert.False(File.Exists(ReceivedFile));
        Assert.Equal(
            [("mnli_matched/acc", MetricStatus.Ok), ("mnli_matched/ft/acc", MetricStatus.NotInBaseline), ("xsum/ft/rougeL", MetricStatus.NotInBaseline)],
            matched.Rows.Select(r => (r.Metric, r.Status)));
        Assert.Contains("1 metrics within tolerance; 2 measured metrics not in the baseline", matched.Diff);
        Assert.Contains(PaperSource, matched.Diff);
        Assert.EndsWith("not in baseline", matched.Diff.Split('\n').Single(l => l.Contains("xsum/ft/rougeL")));
    }

    [Fact]
    public void Metrics_present_in_a_partial_baseline_must_still_match()
    {
        WriteBaseline(new Baseline(Metrics(("mnli_matched/ft/acc", Paper(0.60))), Partial: true, PaperSource));
        var result = Verify(Sample());   // measured 0.7312 ± 0.041: 0.13 away
        Show(result);
        Assert.False(result.Passed);
        Assert.Equal(MetricStatus.Changed, result.Rows.Single(r => r.Metric == "mnli_matched/ft/acc").Status);
        Assert.Equal(MetricStatus.NotInBaseline, result.Rows.Single(r => r.Metric == "xsum/ft/rougeL").Status);
        Assert.Contains("1 of 1 metrics differ (1 CHANGED); 1 measured metrics not in the partial baseline", result.Diff);
        Assert.True(File.Exists(ReceivedFile));
    }

    [Fact]
    public void Metrics_in_a_partial_baseline_that_are_not_measured_still_fail()
    {
        WriteBaseline(new Baseline(
            Metrics(("mnli_matched/ft/acc", Paper(0.73)), ("rte/base", Paper(0.5))), Partial: true, PaperSource));
        var result = Verify(Sample());
        Show(result);
        Assert.False(result.Passed);
        Assert.Equal(MetricStatus.Missing, result.Rows.Single(r => r.Metric == "rte/base").Status);
        Assert.Equal(MetricStatus.Ok, result.Rows.Single(r => r.Metric == "mnli_matched/ft/acc").Status);
    }

    [Fact]
    public void A_partial_baseline_sharing_no_metric_with_the_measurement_checks_nothing_and_fails()
    {
        WriteBaseline(new Baseline(Metrics(), Partial: true, PaperSource));
        var result = Verify(Sample());
        Show(result);
        Assert.False(result.Passed);
        Assert.All(result.Rows, r => Assert.Equal(MetricStatus.NotInBaseline, r.Status));
        Assert.Contains("shares no metric", result.Diff);
    }

    [Fact]
    public void Without_partial_an_extra_measured_metric_is_still_new()
    {
        WriteBaseline(new Baseline(Metrics(("mnli_matched/ft/acc", Paper(0.73))), Source: PaperSource));
        var result = Verify(Sample());
        Assert.False(result.Passed);
        Assert.Equal(MetricStatus.New, result.Rows.Single(r => r.Metric == "xsum/ft/rougeL").Status);
    }

    [Fact]
    public void Partial_and_source_round_trip_and_are_written_only_when_set()
    {
        var metrics = Metrics(("b/x", Paper(0.123)), ("a/y", Paper(-0.04)));
        string text = BaselineFile.Format(new Baseline(metrics, Partial: true, PaperSource));
        Assert.Equal(
            "{\n  \"metrics\": {\n" +
            "    \"a/y\": {\"mean\": -0.0400, \"ci95\": [-0.0400, -0.0400], \"n\": 0},\n" +
            "    \"b/x\": {\"mean\": 0.1230, \"ci95\": [0.1230, 0.1230], \"n\": 0}\n" +
            "  },\n  \"partial\": true,\n  \"source\": \"Sun & Dredze 2024 released results (results/analysis/*.csv)\"\n}\n",
            text);
        var back = BaselineFile.ParseBaseline(text, "inline");
        Assert.True(back.Partial);
        Assert.Equal(PaperSource, back.Source);
        Assert.Equal(metrics.OrderBy(p => p.Key, StringComparer.Ordinal), back.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(text, BaselineFile.Format(back));

        // Through a file too; the metrics-only reader still reads it.
        WriteBaseline(new Baseline(metrics, Partial: true, "quote \" and ρ"));
        var file = BaselineFile.ReadBaseline(VerifiedFile);
        Assert.Equal((true, "quote \" and ρ"), (file.Partial, file.Source));
        Assert.Equal(2, BaselineFile.Read(VerifiedFile).Count);

        // Unset: the normal format, byte for byte; source alone is allowed; an explicit false reads as not partial.
        Assert.Equal(BaselineFile.Format(metrics), BaselineFile.Format(new Baseline(metrics)));
        Assert.DoesNotContain("partial", BaselineFile.Format(metrics));
        Assert.DoesNotContain("source", BaselineFile.Format(metrics));
        var sourceOnly = BaselineFile.ParseBaseline(BaselineFile.Format(new Baseline(metrics, Source: "s")), "inline");
        Assert.Equal((false, "s"), (sourceOnly.Partial, sourceOnly.Source));
        Assert.False(BaselineFile.ParseBaseline("""{"metrics": {}, "partial": false}""", "inline").Partial);
        Assert.Equal("{\n  \"metrics\": {},\n  \"partial\": true\n}\n", BaselineFile.Format(new Baseline(Metrics(), Partial: true)));
    }

    [Theory]
    [InlineData("""{"metrics": {}, "partial": "yes"}""", "\"partial\" is the string \"yes\", expected true or false")]
    [InlineData("""{"metrics": {}, "partial": true, "partial": true}""", "\"partial\" appears twice")]
    [InlineData("""{"metrics": {}, "source": 3}""", "\"source\" is the number 3, expected a string")]
    [InlineData("""{"metrics": {}, "source": "a", "source": "b"}""", "\"source\" appears twice")]
    [InlineData("""{"metrics": {}, "metrics": {}}""", "\"metrics\" appears twice")]
    [InlineData("""{"partial": true}""", "no \"metrics\" field")]
    public void Malformed_optional_fields_name_the_problem(string text, string problem)
    {
        var ex = Assert.Throws<InvalidDataException>(() => BaselineFile.ParseBaseline(text, "inline"));
        Assert.Contains(problem, ex.Message);
    }

    /// <summary>Every committed baseline is in the canonical format (so the paper generator writes exactly what
    /// <see cref="BaselineFile"/> would), and every paper baseline is partial, sourced, with n 0 and point intervals.</summary>
    [Fact]
    public void Committed_baselines_are_canonical_and_paper_baselines_are_partial_point_values()
    {
        string? repo = RepositoryRoot.FindFrom(AppContext.BaseDirectory);
        if (repo is null || !Directory.Exists(Path.Combine(repo, "baselines"))) Assert.Skip("no baselines/ folder in this checkout");
        var files = Directory.EnumerateFiles(Path.Combine(repo, "baselines"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(Snapshot.ReceivedSuffix, StringComparison.Ordinal) && Path.GetFileName(f) != BaselinePlatform.FileName)
            .Order(StringComparer.Ordinal).ToList();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            var baseline = BaselineFile.ParseBaseline(text, file);
            Assert.True(text == BaselineFile.Format(baseline), $"{file} is not in the canonical format");
            if (Path.GetRelativePath(Path.Combine(repo, "baselines"), file).Split(Path.DirectorySeparatorChar)[0] != "paper") continue;
            Assert.True(baseline.Partial, $"{file} should be partial");
            Assert.NotNull(baseline.Source);
            Assert.NotEmpty(baseline.Metrics);
            Assert.All(baseline.Metrics.Values, e => Assert.Equal(new Estimate(e.Mean, e.Mean, e.Mean, 0), e));
            // A name the finding never measures would only show up as MISSING on a GPU run: catch it here.
            string finding = Path.GetFileName(Path.GetDirectoryName(file)!);
            var names = MeasuredNames(finding);
            Assert.True(names is not null, $"{file}: unknown finding {finding}");
            Assert.All(baseline.Metrics.Keys, k => Assert.True(names!.Contains(k), $"{file}: {finding} does not measure {k}"));
        }
    }

    /// <summary>The metric names each finding's Measure gives at the paper scale, from its declaration (a recording
    /// run: <see cref="Declaration"/>); null for a finding that is not declared.</summary>
    static HashSet<string>? MeasuredNames(string finding) =>
        Declaration.All(AmuroChar.Study.Scale.Paper, AmuroChar.Grid.GridSpec.PaperCheckpoints).FirstOrDefault(d => d.Id == finding)?.Metrics.ToHashSet(StringComparer.Ordinal);

    /// <summary>tools/paper_baselines.py keeps its own list of findings (it maps the paper's tables to our metric
    /// names by hand); every one must be a declared finding, or the tool writes baselines no test reads.</summary>
    [Fact]
    public void The_paper_baseline_tools_findings_are_declared()
    {
        string? repo = RepositoryRoot.FindFrom(AppContext.BaseDirectory);
        string tool = repo is null ? "" : Path.Combine(repo, "tools", "paper_baselines.py");
        if (!File.Exists(tool)) Assert.Skip("no tools/paper_baselines.py in this checkout");
        var line = File.ReadLines(tool).Single(l => l.StartsWith("FINDINGS = [", StringComparison.Ordinal));
        var listed = System.Text.RegularExpressions.Regex.Matches(line, "\"([a-z_]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(listed);
        var declared = Declaration.All(AmuroChar.Study.Scale.Paper, AmuroChar.Grid.GridSpec.PaperCheckpoints).Select(d => d.Id).ToList();
        Assert.All(listed, id => Assert.Contains(id, declared));
    }
}
