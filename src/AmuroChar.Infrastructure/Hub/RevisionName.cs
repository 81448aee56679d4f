using System.Globalization;
using System.Text.RegularExpressions;

namespace AmuroChar.Hub;

/// <summary>
/// A branch of a checkpointed model repository. AllenAI names OLMo's intermediate checkpoints
/// <c>step{N}-tokens{T}{unit}</c> (<c>step1000-tokens4B</c>, <c>step20000-tokens84B</c>); EleutherAI names Pythia's
/// <c>step{N}</c> (<c>step143000</c>), with no token count; other branches (<c>main</c>) have no step.
/// </summary>
public sealed record HubRevision(string Name, string Commit, long? Step, long? Tokens)
{
    public static HubRevision FromBranch(string name, string commit)
    {
        var parsed = RevisionName.Parse(name);
        return new HubRevision(name, commit, parsed?.Step, parsed?.Tokens);
    }
}

public static partial class RevisionName
{
    [GeneratedRegex(@"^step(?<step>[0-9]+)(-tokens(?<tokens>[0-9]+)(?<unit>[KMBT]?))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Step and token count of <c>step{N}-tokens{T}[K|M|B|T]</c>, or the step alone of <c>step{N}</c> (tokens
    /// null); null for any other name (one whose numbers don't fit in 64 bits included: no real checkpoint has them,
    /// and a branch name must not crash a listing). The one parser of revision names: the Hub listing, the Hub cache's
    /// refs and revision folders all read names through it.</summary>
    public static (long Step, long? Tokens)? Parse(string name)
    {
        var m = Pattern().Match(name);
        if (!m.Success) return null;
        if (!long.TryParse(m.Groups["step"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long step)) return null;
        if (!m.Groups["tokens"].Success) return (step, null);
        if (!long.TryParse(m.Groups["tokens"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long count)) return null;
        long unit = m.Groups["unit"].Value switch { "K" => 1_000, "M" => 1_000_000, "B" => 1_000_000_000, "T" => 1_000_000_000_000, _ => 1 };
        return count <= long.MaxValue / unit ? (step, count * unit) : null;
    }

    /// <summary><c>main</c> first (the final model), then checkpoints by step, then any other branch by name.</summary>
    public static IReadOnlyList<HubRevision> Sort(IEnumerable<HubRevision> revisions) =>
        revisions.OrderBy(r => r.Name == "main" ? 0 : r.Step is null ? 2 : 1)
                 .ThenBy(r => r.Step ?? 0)
                 .ThenBy(r => r.Name, StringComparer.Ordinal)
                 .ToList();
}
