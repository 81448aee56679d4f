using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

/// <summary>A known gap passes only for the reason it names: exactly its clauses fail and every other clause holds.</summary>
public sealed class KnownGapsTests
{
    static readonly KnownGaps.Gap Gap = KnownGaps.All.First(g => g.FailingClauses.Count >= 1);

    /// <summary>A verdict with the gap's id whose clauses are the gap's (failing as given) plus one other clause.</summary>
    static Verdict With(bool gapClausesFail, ClauseOutcome other)
    {
        var clauses = Gap.FailingClauses.Select(c => Clause.Judge(c, !gapClausesFail, "numbers")).ToList();
        clauses.Add(new Clause("some other clause", other, "numbers"));
        return new Verdict(Gap.ClaimId, "claim", clauses, []);
    }

    static Standing Judge(Verdict v, long seed = KnownGaps.MeasuredOnWorldSeed) => KnownGaps.Judge(v, Gap.Scale, seed);

    [Fact]
    public void Exactly_the_named_clauses_failing_is_the_known_gap() =>
        Assert.Equal(Standing.KnownGap, Judge(With(gapClausesFail: true, ClauseOutcome.Holds)));

    [Fact]
    public void Another_clause_failing_beside_the_gap_is_a_new_failure()
    {
        var v = With(gapClausesFail: true, ClauseOutcome.Fails);
        Assert.Equal(Standing.NewFailure, Judge(v));
        Assert.Contains("some other clause", KnownGaps.Describe(v, Standing.NewFailure, Gap.Scale));
    }

    /// <summary>On another numeric platform (another pre-training from the same seed) a gap must still fail for a reason
    /// it names; a further failing clause is described, not a new failure. Without a named reason it still is one,
    /// and a gap whose clauses all hold is still closed.</summary>
    [Fact]
    public void On_another_platform_a_gap_must_still_fail_for_its_reason_and_further_failures_are_described()
    {
        var v = With(gapClausesFail: true, ClauseOutcome.Fails);
        Assert.Equal(Standing.KnownGap, KnownGaps.Judge(v, Gap.Scale, KnownGaps.MeasuredOnWorldSeed, samePlatform: false));
        Assert.Contains("on this numeric platform also failing: some other clause", KnownGaps.Describe(v, Standing.KnownGap, Gap.Scale));
        Assert.Equal(Standing.NewFailure, KnownGaps.Judge(With(gapClausesFail: false, ClauseOutcome.Fails), Gap.Scale, KnownGaps.MeasuredOnWorldSeed, samePlatform: false));
        Assert.Equal(Standing.GapClosed, KnownGaps.Judge(With(gapClausesFail: false, ClauseOutcome.Holds), Gap.Scale, KnownGaps.MeasuredOnWorldSeed, samePlatform: false));
        Assert.Equal(Standing.NewFailure, KnownGaps.Judge(v, Gap.Scale, KnownGaps.MeasuredOnWorldSeed + 1, samePlatform: false));
    }

    [Fact]
    public void The_gap_clauses_holding_closes_the_gap() =>
        Assert.Equal(Standing.GapClosed, Judge(With(gapClausesFail: false, ClauseOutcome.Holds)));

    [Fact]
    public void An_undecidable_clause_is_not_testable_never_a_gap() =>
        Assert.Equal(Standing.NotTestable, Judge(With(gapClausesFail: true, ClauseOutcome.NotTestable)));

    [Fact]
    public void In_other_worlds_every_claim_is_simply_asserted()
    {
        Assert.Equal(Standing.NewFailure, Judge(With(gapClausesFail: true, ClauseOutcome.Holds), seed: KnownGaps.MeasuredOnWorldSeed + 1));
        Assert.Equal(Standing.Reproduced, Judge(With(gapClausesFail: false, ClauseOutcome.Holds), seed: KnownGaps.MeasuredOnWorldSeed + 1));
    }

    [Fact]
    public void A_claim_without_a_gap_holds_or_fails()
    {
        var holds = new Verdict("no_gap_here", "claim", [Clause.Judge("a", true, "")], []);
        var fails = new Verdict("no_gap_here", "claim", [Clause.Judge("a", false, "")], []);
        Assert.Equal(Standing.Reproduced, KnownGaps.Judge(holds, "tiny", 1));
        Assert.Equal(Standing.NewFailure, KnownGaps.Judge(fails, "tiny", 1));
        Assert.Equal(Standing.Recorded, KnownGaps.Judge(Verdict.Recorded("r", "recorded", ["x"]), "tiny", 1));
        Assert.Equal(Standing.NotTestable, KnownGaps.Judge(new Verdict("no_gap_here", "claim", [], []), "tiny", 1));
    }

    [Theory]
    [InlineData(0, new[] { Standing.Reproduced, Standing.KnownGap, Standing.Recorded })]
    [InlineData(1, new[] { Standing.Reproduced, Standing.NewFailure, Standing.GapClosed })]
    [InlineData(1, new[] { Standing.NotTestable })]
    [InlineData(3, new[] { Standing.Reproduced, Standing.GapClosed, Standing.KnownGap })]
    public void Exit_codes_separate_new_failures_from_closed_gaps(int code, Standing[] standings) =>
        Assert.Equal(code, KnownGaps.ExitCode(standings));

    [Fact]
    public void Every_gap_names_clauses_and_a_reason_and_no_verdict_twice()
    {
        Assert.All(KnownGaps.All, g => Assert.True(g.FailingClauses.Count + g.Untestable.Count > 0 && g.Why.Length > 0, g.ClaimId));
        Assert.Equal(KnownGaps.All.Count, KnownGaps.All.Select(g => (g.Scale, g.ClaimId)).Distinct().Count());
    }

    [Fact]
    public void A_gap_of_clauses_the_design_cannot_test_passes_only_while_exactly_those_are_untestable()
    {
        var gap = KnownGaps.All.First(g => g.Untestable.Count > 0);
        Verdict With(ClauseOutcome named, ClauseOutcome other) => new(gap.ClaimId, "claim",
            [.. gap.Untestable.Select(c => new Clause(c, named, "numbers")), .. gap.FailingClauses.Select(c => Clause.Judge(c, false, "numbers")),
             new Clause("some other clause", other, "numbers")], []);
        Assert.Equal(Standing.KnownGap, KnownGaps.Judge(With(ClauseOutcome.NotTestable, ClauseOutcome.Holds), gap.Scale, KnownGaps.MeasuredOnWorldSeed));
        // Another clause that can't be judged is not covered by the gap; the named ones becoming testable ends it.
        Assert.Equal(Standing.NotTestable, KnownGaps.Judge(With(ClauseOutcome.NotTestable, ClauseOutcome.NotTestable), gap.Scale, KnownGaps.MeasuredOnWorldSeed));
        Assert.Equal(Standing.GapClosed, KnownGaps.Judge(With(ClauseOutcome.Holds, ClauseOutcome.Holds), gap.Scale, KnownGaps.MeasuredOnWorldSeed));
        Assert.Equal(Standing.NewFailure, KnownGaps.Judge(With(ClauseOutcome.Fails, ClauseOutcome.Holds), gap.Scale, KnownGaps.MeasuredOnWorldSeed));
        // In any other world nothing is excused.
        Assert.Equal(Standing.NotTestable, KnownGaps.Judge(With(ClauseOutcome.NotTestable, ClauseOutcome.Holds), gap.Scale, KnownGaps.MeasuredOnWorldSeed + 1));
        Assert.Contains("expected not testable", gap.Expected);
    }
}
