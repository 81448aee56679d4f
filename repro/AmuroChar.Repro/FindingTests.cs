using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Repro;

/// <summary>
/// What every finding's test class does, in each world of <see cref="StudyFixture.WorldSeeds"/>: per checkpoint, compare
/// the measurements with the snapshotted baseline; across checkpoints, judge the claimed trend and print the numbers it
/// was judged on; write the figures.
/// </summary>
public abstract class FindingTests<TFinding>(StudyFixture fixture) where TFinding : Finding
{
    protected StudyFixture Fixture => fixture;
    protected TFinding In(long worldSeed) => (TFinding)Activator.CreateInstance(typeof(TFinding), fixture.Measurements(worldSeed))!;

    public static TheoryData<long> WorldSeeds => new(StudyFixture.WorldSeeds);
    public static TheoryData<int, long> Checkpoints => Baselined(StudyFixture.CheckpointsOf(fineTuned: false));
    public static TheoryData<int, long> FineTunedCheckpoints => Baselined(StudyFixture.CheckpointsOf(fineTuned: true));

    static TheoryData<int, long> Baselined(IReadOnlyList<int> steps)
    {
        var data = new TheoryData<int, long>();
        foreach (long seed in StudyFixture.BaselinedWorldSeeds)
            foreach (int step in steps) data.Add(step, seed);
        return data;
    }

    protected void MatchesBaseline(int step, long worldSeed)
    {
        var finding = In(worldSeed);
        if (!finding.Checkpoints.Contains(step)) Assert.Skip($"{finding.Id} does not measure step {step} at this scale");
        var (metrics, scoredItems) = finding.Snapshot(step);
        var result = Fixture.VerifyBaseline(finding.Id, worldSeed, step, metrics, scoredItems);
        TestContext.Current.TestOutputHelper?.WriteLine($"Comparison rule: {Fixture.BaselineRule(worldSeed).Why}.");
        TestContext.Current.TestOutputHelper?.WriteLine(result.Diff);
        Assert.True(result.Passed, result.Diff);
    }

    /// <summary>
    /// Asserts a verdict in one world, as <see cref="KnownGaps.Judge"/> places it. A claim with a known gap at this scale
    /// (in the world the gap was measured on) passes only if exactly the clauses the gap names fail and every other
    /// clause holds: it prints "KNOWN GAP" with every measured number. A new failing clause, a clause that cannot be
    /// judged, or a gap clause that now holds (the entry must go) is a red test saying which. In any other world every
    /// claim is simply asserted (README, "Honesty notes", has the table).
    /// </summary>
    protected void Holds(Verdict verdict, long worldSeed)
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"world seed {worldSeed}");
        output?.WriteLine(verdict.Explain());
        string scale = StudyFixture.ScaleName;
        var standing = KnownGaps.Judge(verdict, scale, worldSeed);
        string why = KnownGaps.Describe(verdict, standing, scale);
        if (standing == Standing.KnownGap) output?.WriteLine($"KNOWN GAP ({scale} scale): {verdict.Id}: {why}");
        Assert.True(standing is Standing.Reproduced or Standing.KnownGap, $"world seed {worldSeed}: {verdict.Id}: {why}\n{verdict.Explain()}");
    }

    protected void WritesFigures(long worldSeed)
    {
        var finding = In(worldSeed);
        string dir = StudyFixture.FigureDirectory(finding.Id, worldSeed);
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
