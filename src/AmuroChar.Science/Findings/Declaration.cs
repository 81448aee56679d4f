using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// A finding as declared, at a scale and its checkpoints, found without computing or loading anything: its id,
/// title, checkpoints and claims as the finding declares them, and what running it reads: the metric names
/// <see cref="Finding.Measure"/> gives and every evaluation it and the claims' judges read (<see cref="Requirements"/>).
/// Those two are derived by running the finding against a recording source (<see cref="RecordingEvaluations"/>),
/// so the list a runner computes first is the one the code reads, never a second list written by hand beside it.
/// The runner (<c>StudyRunner</c>), the grid planner, the findings suite and <c>amurochar findings list</c> all use it.
/// </summary>
public sealed record Declaration(string Id, string Title, IReadOnlyList<int> Checkpoints, IReadOnlyList<string> Metrics,
    IReadOnlyList<Declaration.DeclaredClaim> Claims, IReadOnlyList<Requirement> Requirements)
{
    /// <summary>A claim as declared (<see cref="Claim"/> without its judge, which here would judge placeholders).</summary>
    public sealed record DeclaredClaim(string Id, string Title, bool Asserted);

    /// <summary>Every finding of <see cref="Finding.All"/>, in report order, declared at <paramref name="scale"/>
    /// over <paramref name="checkpoints"/> (every pre-training checkpoint; the scale says which are fine-tuned).</summary>
    public static IReadOnlyList<Declaration> All(Scale scale, IReadOnlyList<int> checkpoints) =>
        Enumerable.Range(0, Finding.All(Measurements.Recording(scale, checkpoints, new RecordingEvaluations())).Count)
            .Select(i => Of(scale, checkpoints, i)).ToList();

    /// <summary>The <paramref name="index"/>-th finding of <see cref="Finding.All"/>, declared. A recording of its own
    /// per finding: measurements memoise results, so a shared one would record an evaluation only for the first
    /// finding that reads it.</summary>
    static Declaration Of(Scale scale, IReadOnlyList<int> checkpoints, int index)
    {
        var recorder = new RecordingEvaluations();
        var finding = Finding.All(Measurements.Recording(scale, checkpoints, recorder))[index];
        var metrics = new List<string>();
        foreach (int step in finding.Checkpoints)
            metrics.AddRange(finding.Measure(step).Keys.Where(k => !metrics.Contains(k)));
        // Judged for what they read, not for what they conclude (the placeholders mean nothing).
        foreach (var claim in finding.Claims) claim.Judge();
        return new Declaration(finding.Id, finding.Title, finding.Checkpoints, metrics,
            finding.Claims.Select(c => new DeclaredClaim(c.Id, c.Title, c.Asserted)).ToList(), recorder.Asked);
    }

    /// <summary>Every evaluation the findings named by <paramref name="findingIds"/> read, once each: what a runner
    /// computes before they are judged.</summary>
    public static IReadOnlyList<Requirement> RequirementsOf(Scale scale, IReadOnlyList<int> checkpoints, IEnumerable<string> findingIds)
    {
        var ids = findingIds.ToHashSet(StringComparer.Ordinal);
        var all = All(scale, checkpoints);
        if (ids.Except(all.Select(d => d.Id)).FirstOrDefault() is { } unknown)
            throw new ArgumentException($"unknown finding '{unknown}'; findings: {string.Join(", ", all.Select(d => d.Id))}");
        return all.Where(d => ids.Contains(d.Id)).SelectMany(d => d.Requirements).Distinct().ToList();
    }

    /// <summary><see cref="RequirementsOf(Scale, IReadOnlyList{int}, IEnumerable{string})"/> at <paramref name="m"/>'s
    /// scale and checkpoints.</summary>
    public static IReadOnlyList<Requirement> RequirementsOf(Measurements m, IEnumerable<Finding> findings) =>
        RequirementsOf(m.Scale, m.Checkpoints, findings.Select(f => f.Id));
}
