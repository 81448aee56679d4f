using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>
/// The suite's comparison on numbers whose bits really differ, once per tiny world: <c>Fixtures/cross-platform/&lt;world&gt;/</c>
/// holds that world's findings baselines as the pinned kernels made them (<c>pinned/</c>, what <c>baselines/tiny</c>
/// held) and as a complete findings run made them with <c>AMUROCHAR_NUMERICS=native</c> (<c>native/</c>: ATen's AVX-512
/// kernels on the development machine's AVX-512 EPYC, so another pre-training and other fine-tunings from the same seeds),
/// each with its platform.json. The first world (700 pre-training steps) was measured up to commit 5300844; the second
/// (2,000 steps, issue 20) at 58ed5f5's design with a21b1e1's baselines; for it, a third platform as well
/// (<c>native-mkl-compatible/</c>: the native kernels with <c>MKL_CBWR=COMPATIBLE</c>, MKL's vendor-neutral GEMM), first
/// measured as a held-out check of the spread calibrated on the other two, then folded into the calibration. The rule
/// the suite chooses for a pair must be the statistical one, every metric must pass it, and the exact rule must fail many
/// (or the pair would prove nothing).
/// </summary>
public sealed class CrossPlatformBaselineTests
{
    static readonly string Repository = RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("repository root");
    static string Folder(string world, string platform) =>
        Path.Combine(Repository, "tests", "AmuroChar.Tests", "Baselines", "Fixtures", "cross-platform", world, platform);

    /// <summary>Each world's runs on another platform than its pinned baselines'.</summary>
    static readonly (string World, string Platform)[] Runs =
        [("first-world", "native"), ("second-world", "native"), ("second-world", "native-mkl-compatible")];

    public static TheoryData<string, string> Platforms
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (world, platform) in Runs) data.Add(world, platform);
            return data;
        }
    }

    /// <summary>Metrics the first world's pinned baselines gained after its native run was measured (instruction tuning's
    /// positive control; the base models' balanced accuracy and the top label's share, which the verdicts read);
    /// everything else must be in both. (Its instruction-tuned numbers are means over three seeds against the native
    /// run's one: they are compared all the same.)</summary>
    static bool AddedAfterTheFixture(string world, string metric) => world == "first-world" &&
        (metric is "tulu/test/base" or "tulu/test/change" or "tulu/test/instruction_tuned"
         || metric.EndsWith("/base_balanced_accuracy", StringComparison.Ordinal) || metric.EndsWith("/top_label_share", StringComparison.Ordinal));

    /// <summary>The pinned metrics that the native run also measured.</summary>
    static Dictionary<string, Estimate> Common(Baseline old, Baseline @new) =>
        old.Metrics.Where(m => @new.Metrics.ContainsKey(m.Key)).ToDictionary(m => m.Key, m => m.Value);

    static IEnumerable<(string File, Baseline Old, Baseline New)> Pairs(string world, string platform)
    {
        string pinned = Folder(world, "pinned"), native = Folder(world, platform);
        return Directory.EnumerateFiles(pinned, "step-*.json", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(Snapshot.ReceivedSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(pinned, p), BaselineFile.ReadBaseline(p), BaselineFile.ReadBaseline(Path.Combine(native, Path.GetRelativePath(pinned, p)))));
    }

    static List<(string Metric, Estimate Old, Estimate New)> Metrics(string world, string platform) =>
        Pairs(world, platform).SelectMany(p => Common(p.Old, p.New).Select(m => ($"{p.File}: {m.Key}", m.Value, p.New.Metrics[m.Key]))).ToList();

    [Theory]
    [MemberData(nameof(Platforms))]
    public void Numbers_made_under_another_fingerprint_pass_the_statistical_rule_the_suite_chooses(string world, string platform)
    {
        var (rule, why) = BaselinePlatform.RuleFor(BaselinePlatform.Read(Folder(world, "pinned")), BaselinePlatform.Read(Folder(world, platform))!);
        Assert.Same(ToleranceRule.CrossPlatform, rule);
        Assert.Contains("kernel families that differ", why);

        int metrics = 0, differExactly = 0;
        var failures = new List<string>();
        foreach (var (file, old, @new) in Pairs(world, platform))
        {
            Assert.Empty(@new.Metrics.Keys.Except(old.Metrics.Keys));
            Assert.DoesNotContain(old.Metrics.Keys.Except(@new.Metrics.Keys), m => !AddedAfterTheFixture(world, m));
            var common = Common(old, @new);
            metrics += common.Count;
            failures.AddRange(Snapshot.Compare(common, @new.Metrics, rule).Where(BaselineDiff.Fails)
                .Select(r => $"{file} {r.Metric}: {r.Baseline?.Mean:F4} -> {r.Measured?.Mean:F4} (tolerance {r.Tolerance:F4})"));
            differExactly += Snapshot.Compare(common, @new.Metrics, ToleranceRule.Exact).Count(BaselineDiff.Fails);
        }
        Assert.True(metrics > 500, $"only {metrics} metrics compared");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The bits differ: under the exact rule a large share of the same numbers would fail.
        Assert.True(differExactly > metrics / 5, $"{differExactly} of {metrics} metrics differ exactly");
    }

    /// <summary>The factor re-derived from each world's measured spread (pre-training's included; ToleranceCalibration),
    /// with the rule's platform spread, must not exceed the rule's multiplier: otherwise the statistical rule would flag
    /// a mere platform change as a regression more often than 1 run in 20. And the spread must be the smallest that does
    /// so, to the calibration's grid, on the run that needs the most: a wider one would give away detection power that
    /// no measurement asked for.</summary>
    [Fact]
    public void The_statistical_rule_covers_the_measured_cross_platform_spread_and_no_more()
    {
        var rule = ToleranceRule.CrossPlatform;
        double needed = 0;
        foreach (var (world, platform) in Runs)
        {
            var metrics = Metrics(world, platform);
            var calibration = ToleranceCalibration.Derive(metrics, spread: rule.Spread);
            TestContext.Current.TestOutputHelper?.WriteLine($"{world}/{platform}: {calibration}; without a spread: {ToleranceCalibration.Derive(metrics)}");
            Assert.True(calibration.Factor <= rule.Multiplier,
                $"{world}/{platform}: the measured spread needs {calibration.Factor:F2} × √(h² + {rule.Spread}²), the rule allows {rule.Multiplier}: {calibration}");
            needed = Math.Max(needed, ToleranceCalibration.SpreadFor(metrics, rule.Multiplier));
        }
        Assert.Equal(needed, rule.Spread, 6);
    }

    /// <summary>The tail model on data whose answer is known: changes whose size in half-widths is exponential with mean
    /// 1 need ln(M / α) half-widths for a family-wise α; no change at all needs none.</summary>
    [Fact]
    public void The_calibration_recovers_a_known_tail()
    {
        const int m = 2000;
        var exponential = Enumerable.Range(0, m).Select(i => ($"m{i}", new Estimate(0.5, 0.4, 0.6, 100),
            new Estimate(0.5 + 0.1 * -Math.Log(1 - (i + 0.5) / m), 0.4, 0.6, 100)));
        Assert.Equal(Math.Log(m / 0.05), ToleranceCalibration.Derive(exponential).Factor, 0.5);
        var unchanged = Enumerable.Range(0, m).Select(i => ($"m{i}", new Estimate(0.5, 0.4, 0.6, 100), new Estimate(0.5, 0.4, 0.6, 100)));
        Assert.Equal(0, ToleranceCalibration.Derive(unchanged).Factor);
    }

    /// <summary>The spread on data whose answer is known: every metric moved by 0.3 with half-widths of 0.01 needs
    /// √(0.01² + s²) ≥ 0.3 / 3.3, so s ≥ 0.0904: 0.095 on the 0.005 grid; unmoved metrics need none. And the rule
    /// adds its spread in quadrature.</summary>
    [Fact]
    public void The_spread_is_the_smallest_that_covers_the_changes()
    {
        var moved = Enumerable.Range(0, 100).Select(i => ($"m{i}", new Estimate(0.5, 0.49, 0.51, 100), new Estimate(0.8, 0.79, 0.81, 100))).ToList();
        Assert.Equal(0.095, ToleranceCalibration.SpreadFor(moved, 3.3), 9);
        var unchanged = moved.Select(p => (p.Item1, p.Item2, p.Item2)).ToList();
        Assert.Equal(0, ToleranceCalibration.SpreadFor(unchanged, 3.3));
        var e = new Estimate(0.5, 0.45, 0.55, 100);
        Assert.Equal(3.3 * Math.Sqrt(0.05 * 0.05 + ToleranceRule.CrossPlatform.Spread * ToleranceRule.CrossPlatform.Spread), ToleranceRule.CrossPlatform.For(e, e), 12);
        Assert.Equal(3.3 * 0.05, ToleranceRule.CiHalfWidth(3.3).For(e, e), 12);
    }
}
