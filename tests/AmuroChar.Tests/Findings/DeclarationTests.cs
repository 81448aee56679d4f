using AmuroChar.Findings;
using AmuroChar.Grid;
using AmuroChar.Study;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Findings;

/// <summary>
/// What the findings' declarations promise, at every scale and without inputs: requirements derived by a recording
/// run (they replaced hand-written lists, which they equalled at tiny, small, micro and paper when those were
/// deleted), claims with stable ids, and nothing read that the baselines or the runner would miss.
/// </summary>
public class DeclarationTests
{
    public static TheoryData<string> Scales => new(Scale.Names);

    static IReadOnlyList<int> CheckpointsOf(string scale) => scale == "paper" ? GridSpec.PaperCheckpoints : Scale.ByName(scale).Checkpoints;

    [Theory, MemberData(nameof(Scales))]
    public void Every_finding_reads_something_measures_something_and_declares_claims_with_ids_of_its_own(string scale)
    {
        var declared = Declaration.All(Scale.ByName(scale), CheckpointsOf(scale));
        Assert.Equal(Finding.All(Measurements.Recording(Scale.ByName(scale), CheckpointsOf(scale), new RecordingEvaluations())).Select(f => f.Id), declared.Select(d => d.Id));
        foreach (var d in declared)
        {
            Assert.NotEmpty(d.Requirements);
            Assert.Equal(d.Requirements.Count, d.Requirements.Distinct().Count());
            Assert.NotEmpty(d.Metrics);
            Assert.NotEmpty(d.Checkpoints);
            Assert.NotEmpty(d.Claims);
            Assert.All(d.Claims, c => Assert.Matches($"^{d.Id}\\.[a-z][a-z0-9_]*$", c.Id));
            Assert.All(d.Claims, c => Assert.False(string.IsNullOrWhiteSpace(c.Title), c.Id));
        }
        var ids = declared.SelectMany(d => d.Claims).Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>A baseline is what guards a claim's inputs on another machine: an evaluation a claim is judged on that
    /// Measure never reads would change without any baseline noticing.</summary>
    [Theory, MemberData(nameof(Scales))]
    public void Every_evaluation_a_claim_is_judged_on_is_in_its_findings_baselines(string scale)
    {
        foreach (int i in Enumerable.Range(0, Finding.All(Recording(scale, new RecordingEvaluations())).Count))
        {
            var measured = new RecordingEvaluations();
            var f = Finding.All(Recording(scale, measured))[i];
            foreach (int step in f.Checkpoints) f.Measure(step);
            var judged = new RecordingEvaluations();
            foreach (var claim in Finding.All(Recording(scale, judged))[i].Claims) claim.Judge();
            var missing = judged.Asked.Except(measured.Asked).ToList();
            Assert.True(missing.Count == 0, $"{scale} {f.Id}: claims read what Measure does not: {string.Join("; ", missing.Take(5))}");
        }
    }

    /// <summary>The runner computes the derived requirements only; a figure reading anything else would fail in
    /// <c>reproduce</c> after the whole study ran (a store miss at the very end).</summary>
    [Fact]
    public void Figures_read_nothing_beyond_the_derived_requirements()
    {
        var derived = Declaration.All(Scale.Tiny, Scale.Tiny.Checkpoints).SelectMany(d => d.Requirements).ToHashSet();
        var plotted = new RecordingEvaluations();
        using var dir = new ScratchDirectory();
        foreach (var f in Finding.All(Recording("tiny", plotted)))
            Assert.NotEmpty(f.Plot(Path.Combine(dir.Path, f.Id)));
        Assert.NotEmpty(plotted.Asked);
        Assert.Empty(plotted.Asked.Except(derived));
    }

    [Fact]
    public void Every_known_gap_names_a_declared_asserted_claim()
    {
        foreach (var gap in KnownGaps.All)
        {
            var claims = Declaration.All(Scale.ByName(gap.Scale), CheckpointsOf(gap.Scale)).SelectMany(d => d.Claims);
            Assert.True(claims.Any(c => c.Id == gap.ClaimId && c.Asserted), $"known gap {gap.ClaimId} ({gap.Scale}) names no asserted claim");
        }
    }

    [Fact]
    public void A_verdict_filed_under_another_claim_or_kind_is_refused()
    {
        var named = new Claim("finding.rises", "Rises", Asserted: true, () => new Verdict("rises", "rises", [Clause.Judge("c", true, "e")], []));
        Assert.Equal("finding.rises", named.Judge().Id);
        var other = named with { Judged = () => new Verdict("falls", "falls", [Clause.Judge("c", true, "e")], []) };
        Assert.Contains("finding.rises", Assert.Throws<InvalidOperationException>(() => other.Judge()).Message);
        var recorded = named with { Judged = () => Verdict.Recorded("rises", "rises", ["x"]) };
        Assert.Throws<InvalidOperationException>(() => recorded.Judge());
    }

    static Measurements Recording(string scale, RecordingEvaluations recorder) => Measurements.Recording(Scale.ByName(scale), CheckpointsOf(scale), recorder);
}
