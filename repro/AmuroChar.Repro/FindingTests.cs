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
        var result = Fixture.VerifyBaseline(finding.Id, worldSeed, step, finding.Measure(step));
        TestContext.Current.TestOutputHelper?.WriteLine($"Comparison rule: {Fixture.BaselineRule(worldSeed).Why}.");
        TestContext.Current.TestOutputHelper?.WriteLine(result.Diff);
        Assert.True(result.Passed, result.Diff);
    }

    /// <summary>
    /// Asserts a verdict in one world. A claim listed in <see cref="KnownGaps"/> for this scale is a claim that does not
    /// reproduce in the default world yet: there its test asserts that it still does not (a strict expected failure),
    /// prints "KNOWN GAP" with every measured number, and `.ci/run` lists it. So a known gap is never silently green and
    /// never skipped, and the day a change to the world or the training makes it hold, the test fails and asks for the
    /// entry to go. The gaps were measured on the default world; in any other world every claim is simply asserted, so
    /// a claim that does not hold there is a red test with its numbers (README, "Honesty notes", has the table).
    /// </summary>
    protected void Holds(Verdict verdict, string test, long worldSeed)
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"world seed {worldSeed}");
        output?.WriteLine(verdict.Explain());
        string scale = StudyFixture.ScaleName;
        if (worldSeed == StudyFixture.DefaultWorldSeed && KnownGaps.For(scale, test) is { } why)
        {
            Assert.False(verdict.Holds,
                $"{test} now reproduces at the {scale} scale: remove it from KnownGaps and README's list of gaps.\n{verdict.Explain()}");
            output?.WriteLine($"KNOWN GAP ({scale} scale): {test}: {why}");
            return;
        }
        Assert.True(verdict.Holds, $"world seed {worldSeed}: {verdict.Explain()}");
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

/// <summary>
/// Claims that do not reproduce at a CPU scale in the default world, each with why. They are asserted to still fail (see
/// <see cref="FindingTests{T}.Holds"/>); README.md ("Honesty notes") and the report list them with their numbers. An
/// entry is a debt to pay by changing the world or the training, never by changing a threshold.
/// </summary>
public static class KnownGaps
{
    static readonly Dictionary<(string Scale, string Test), string> Gaps = new()
    {
        // Measured on world seed 1 with three fine-tuning seeds and like-for-like shots (README, "Honesty notes").
        [("tiny", "The_fine_tuning_tasks_stay_flat_at_chance_or_floor")] =
            "the base model's 4-shot XSum ROUGE-L rises .000 → .131 (last − first beyond ±0.10) as it learns to emit the corpus's own " +
            "templated sentences, which overlap the templated references more and more while ignoring the input",
        [("tiny", "The_fine_tuned_score_rises_with_pretraining_while_the_base_score_stays_flat")] =
            "every fine-tuned score rises (PAWS too, +0.057 [0.014, 0.101] over three seeds), but the 0-shot base is not flat: XSum " +
            ".015 → .131 (+0.117, the same templated overlap) and MNLI's last − first interval reaches +0.103 past the ±0.10 band",
        [("tiny", "The_format_gap_shrinks_with_more_pretraining_on_checkpoints_without_constant_predictions")] =
            "with step 50 left out (a format predicts one label there), the gap grows: .031 at step 150, .063 at 350, .118 at 700",
        [("tiny", "Instruction_tuning_learns_held_out_instructions_yet_changes_the_learned_suites_little")] =
            "the suites move little at every checkpoint, but at step 50 instruction tuning does not yet beat the base model on " +
            "held-out instructions (−0.035; from step 150 on it does: +0.114, +0.382, +0.420)",
    };

    public static string? For(string scale, string test) => Gaps.GetValueOrDefault((scale, test));
}
