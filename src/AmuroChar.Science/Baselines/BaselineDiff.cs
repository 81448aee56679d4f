using System.Globalization;
using System.Text;
using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

/// <summary>
/// The baselines that changed between two versions of a <c>baselines/</c> folder, as one Markdown table a reviewer can
/// paste into a pull request or a CI job summary (<c>amurochar baselines diff [GIT_REF]</c>).
/// <para>
/// The old side is a version of the folder (a git ref; the command reads it), the new side the working tree with each
/// <c>*.received.json</c> in place of its baseline. Each scale folder is compared under the rule a test would apply:
/// <see cref="BaselinePlatform.RuleFor"/> of the old <c>platform.json</c> and the new side's platform
/// (<c>platform.received.json</c> when there are received files, else its <c>platform.json</c>).
/// </para>
/// </summary>
public static class BaselineDiff
{
    /// <summary>One baseline file on both sides (null where a side lacks it), with the scale folder's rule.</summary>
    public sealed record FilePair(string File, Baseline? Old, Baseline? New, ToleranceRule Rule);

    /// <summary>One scale folder's rule and why.</summary>
    public sealed record ScaleRule(string Folder, ToleranceRule Rule, string Why);

    /// <summary>The metrics whose numbers differ at all (or that are new or gone), with whether each passes its rule.</summary>
    public static IReadOnlyList<(string File, SnapshotRow Row)> Changes(IEnumerable<FilePair> files)
    {
        var changes = new List<(string, SnapshotRow)>();
        foreach (var f in files.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            var rows = Snapshot.Compare(f.Old?.Metrics, f.New?.Metrics ?? new Dictionary<string, Estimate>(), f.Rule, f.Old?.Partial ?? false);
            changes.AddRange(rows.Where(r => r.Status != MetricStatus.Ok || !Same(r.Baseline!.Value, r.Measured!.Value)).Select(r => (f.File, r)));
        }
        return changes;
    }

    static bool Same(Estimate a, Estimate b) =>
        BaselineFile.Rounded(a) == BaselineFile.Rounded(b);

    /// <summary>The Markdown: a heading, each scale folder's rule, the table of changes, a count line.</summary>
    public static string Render(string oldName, string newName, IReadOnlyList<ScaleRule> rules, IReadOnlyList<(string File, SnapshotRow Row)> changes, int filesCompared)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"### Baselines: {oldName} → {newName}\n\n");
        foreach (var r in rules) sb.Append(CultureInfo.InvariantCulture, $"- `{r.Folder}`: {r.Rule} — {Escape(r.Why)}\n");
        if (rules.Count > 0) sb.Append('\n');
        int failing = changes.Count(c => Fails(c.Row));
        if (changes.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"No metric changed in {filesCompared} baseline files.\n");
            return sb.ToString();
        }
        sb.Append("| file | metric | old | new | Δ | tolerance | passes |\n|---|---|---|---|---|---|---|\n");
        foreach (var (file, row) in changes)
            sb.Append(CultureInfo.InvariantCulture,
                $"| `{Escape(file)}` | `{Escape(row.Metric)}` | {Cell(row.Baseline)} | {Cell(row.Measured)} | {Signed(row.Difference)} | {Plain(row.Tolerance)} | {(Fails(row) ? $"**no** ({row.StatusLabel})" : "yes")} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"\n{changes.Count} metrics changed in {changes.Select(c => c.File).Distinct().Count()} of {filesCompared} baseline files; {failing} fail their rule.\n");
        return sb.ToString();
    }

    public static bool Fails(SnapshotRow row) => row.Status is not (MetricStatus.Ok or MetricStatus.NotInBaseline);

    static string Cell(Estimate? estimate) => estimate is not { } e ? "—"
        : $"{BaselineFile.Number(e.Mean)} [{BaselineFile.Number(e.Lo)}, {BaselineFile.Number(e.Hi)}] n={e.N.ToString(CultureInfo.InvariantCulture)}";

    static string Signed(double? d) => d is null ? "—" : (d >= 0 ? "+" : "") + BaselineFile.Number(d.Value);
    static string Plain(double? d) => d is null ? "—" : BaselineFile.Number(d.Value);
    static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
