namespace AmuroChar.Findings;

/// <summary>
/// One claim of a finding, declared once (<see cref="Finding.Claims"/>): its stable id, "&lt;finding&gt;.&lt;name&gt;"
/// (e.g. <c>latent_improvement.fine_tuned_rises_while_base_flat</c>), which known gaps, the report, results.json,
/// <c>reproduce</c>, the seed sweep, CI and the findings suite all go by; a one-line title (what the suite's test
/// says); whether it is asserted or only recorded; and the pure function that judges it. Ids are never reused or
/// renamed: a known gap, a results.json or a CI log from before must still name the same claim.
/// </summary>
public sealed record Claim(string Id, string Title, bool Asserted, Func<Verdict> Judged)
{
    /// <summary>The finding part of <see cref="Id"/>.</summary>
    public string FindingId => Id[..Id.IndexOf('.')];

    /// <summary>The claim part of <see cref="Id"/>: the id its verdict function gives (checked by <see cref="Judge"/>).</summary>
    public string Name => Id[(Id.IndexOf('.') + 1)..];

    /// <summary>
    /// The verdict, keyed by the full claim id. The verdict functions (<c>*Verdicts.cs</c>) name their verdicts with
    /// the claim part only, as they know no finding; a verdict that names another claim, or asserts what the
    /// declaration records (or the reverse), is a wiring mistake and fails loudly rather than filing the numbers under
    /// the wrong claim.
    /// </summary>
    public Verdict Judge()
    {
        var v = Judged();
        if (v.Id != Name || v.Asserted != Asserted)
            throw new InvalidOperationException($"claim {Id} ({(Asserted ? "asserted" : "recorded")}) was judged by a verdict named '{v.Id}' ({(v.Asserted ? "asserted" : "recorded")})");
        return v with { Id = Id };
    }
}
