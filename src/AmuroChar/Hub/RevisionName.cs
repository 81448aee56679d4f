using System.Globalization;
using System.Text.RegularExpressions;

namespace AmuroChar.Hub;

/// <summary>
/// A branch of an OLMo checkpoint repository. AllenAI names intermediate checkpoints <c>step{N}-tokens{T}{unit}</c>
/// (<c>step1000-tokens4B</c>, <c>step20000-tokens84B</c>); other branches (<c>main</c>) have no step.
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
    [GeneratedRegex(@"^step(?<step>\d+)-tokens(?<tokens>\d+)(?<unit>[KMBT]?)$")]
    private static partial Regex Pattern();

    /// <summary>Step and token count of <c>step{N}-tokens{T}[K|M|B|T]</c>, or null for any other name (one whose
    /// numbers don't fit in 64 bits included: no real checkpoint has them, and a branch name must not crash a listing).</summary>
    public static (long Step, long Tokens)? Parse(string name)
    {
        var m = Pattern().Match(name);
        if (!m.Success) return null;
        if (!long.TryParse(m.Groups["step"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long step)
            || !long.TryParse(m.Groups["tokens"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long count)) return null;
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
