using AmuroChar.Findings;
using AmuroChar.Grid;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Repro;

/// <summary>
/// The findings suite's cases, generated from the findings' declarations (<see cref="Declaration"/>) at the active
/// scale, so a finding added to <see cref="Finding.All"/> is tested without a test edit: one case per asserted claim
/// and world seed (recorded claims are not claims we assert, so never a test), one per finding, checkpoint and
/// baselined world seed, and one per finding and world seed for its figures. Each case's display name leads with the
/// claim id (or finding id), the name known gaps, the report and CI use, then the claim's one-line title.
/// </summary>
static class Cases
{
    /// <summary>Found without running anything. Where the scale can't run here (the paper scale without its inputs),
    /// the paper's checkpoints stand in so the cases can still be listed; each of them skips with the reason.</summary>
    static readonly Lazy<IReadOnlyList<Declaration>> Declared = new(() =>
        Declaration.All(Scale.ByName(StudyFixture.ScaleName),
            StudyFixture.Unavailable is null ? StudyFixture.CheckpointsOf(fineTuned: false) : GridSpec.PaperCheckpoints));

    public static IEnumerable<TheoryDataRow<string, long>> Claims() =>
        from d in Declared.Value
        from c in d.Claims
        where c.Asserted
        from seed in StudyFixture.WorldSeeds
        select new TheoryDataRow<string, long>(c.Id, seed) { TestDisplayName = $"{c.Id}: {c.Title} (world seed {seed})" };

    public static IEnumerable<TheoryDataRow<string, int, long>> Baselines() =>
        from d in Declared.Value
        // One case that skips with the reason, as before, rather than a case per checkpoint nobody can run.
        from step in StudyFixture.Unavailable is null ? d.Checkpoints : [0]
        from seed in StudyFixture.BaselinedWorldSeeds
        select new TheoryDataRow<string, int, long>(d.Id, step, seed)
        {
            TestDisplayName = $"{d.Id}: {AmuroChar.Checkpoints.CheckpointStep.Name(step)} matches the baseline (world seed {seed})",
        };

    public static IEnumerable<TheoryDataRow<string, long>> Figures() =>
        from d in Declared.Value
        from seed in StudyFixture.WorldSeeds
        select new TheoryDataRow<string, long>(d.Id, seed) { TestDisplayName = $"{d.Id}: figures are written (world seed {seed})" };
}
