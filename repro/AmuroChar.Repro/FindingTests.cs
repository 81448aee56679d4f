using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Repro;

/// <summary>
/// What every finding's test class does: per checkpoint, compare the measurements with the snapshotted baseline;
/// across checkpoints, judge the claimed trend and print the numbers it was judged on; write the figures.
/// </summary>
public abstract class FindingTests<TFinding>(StudyFixture fixture) where TFinding : Finding
{
    protected StudyFixture Fixture => fixture;
    protected TFinding Finding => (TFinding)Activator.CreateInstance(typeof(TFinding), fixture.Measurements)!;

    public static TheoryData<int> Checkpoints => new(StudyFixture.CheckpointsOf(fineTuned: false));
    public static TheoryData<int> FineTunedCheckpoints => new(StudyFixture.CheckpointsOf(fineTuned: true));

    protected void MatchesBaseline(int step)
    {
        var finding = Finding;
        if (!finding.Checkpoints.Contains(step)) Assert.Skip($"{finding.Id} does not measure step {step} at this scale");
        var result = Fixture.VerifyBaseline(finding.Id, step, finding.Measure(step));
        TestContext.Current.TestOutputHelper?.WriteLine($"Comparison rule: {Fixture.BaselineRule.Why}.");
        TestContext.Current.TestOutputHelper?.WriteLine(result.Diff);
        Assert.True(result.Passed, result.Diff);
    }

    /// <summary>Asserts a verdict. A claim listed in <see cref="KnownGaps"/> for this scale that does not hold is
    /// skipped with its measured numbers as the reason (and reported as not reproduced) — never silently passed.</summary>
    protected void Holds(Verdict verdict, string test)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(verdict.Explain());
        if (!verdict.Holds && KnownGaps.For(Fixture.ScaleName, test) is { } why)
            Assert.Skip($"does not reproduce at the {Fixture.ScaleName} scale ({why}). Measured: {verdict.Explain()}");
        Assert.True(verdict.Holds, verdict.Explain());
    }

    protected void WritesFigures()
    {
        var finding = Finding;
        string dir = Fixture.FigureDirectory(finding.Id);
        Directory.CreateDirectory(dir);
        var files = finding.Plot(dir);
        foreach (var file in files)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"figure: {file}");
            TestContext.Current.AddAttachment(Path.GetFileName(file), File.ReadAllBytes(file), "image/png");
        }
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0, $"{f} is empty"));
    }
}

/// <summary>
/// Claims that, after honest effort on the world and the training (not on thresholds), do not reproduce at a CPU
/// scale. Each entry says why; README.md and the report list them with their numbers.
/// </summary>
public static class KnownGaps
{
    static readonly Dictionary<(string Scale, string Test), string> Gaps = new();

    public static string? For(string scale, string test) => Gaps.GetValueOrDefault((scale, test));
}
