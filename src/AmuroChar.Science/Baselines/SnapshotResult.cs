using System.Globalization;
using System.Text;
using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

public enum MetricStatus
{
    /// <summary>In both, mean within tolerance, same n.</summary>
    Ok,
    /// <summary>In both, but the mean moved past the tolerance or n differs.</summary>
    Changed,
    /// <summary>Measured, but not in the baseline.</summary>
    New,
    /// <summary>In the baseline, but no longer measured.</summary>
    Missing,
    /// <summary>Measured, but not in a partial baseline (one that holds only some metrics, e.g. the paper's): reported, not a failure.</summary>
    NotInBaseline,
}

/// <summary>One line of the comparison. <see cref="Difference"/> is measured − baseline mean; <see cref="Tolerance"/>
/// includes the rounding slack of the stored baseline. Both are null unless the metric is in both.</summary>
public sealed record SnapshotRow(
    string Metric, MetricStatus Status, Estimate? Baseline, Estimate? Measured, double? Difference, double? Tolerance)
{
    public string StatusLabel => Status switch
    {
        MetricStatus.Ok => "ok",
        MetricStatus.Changed when Baseline is { N: not 0 } b && b.N != Measured?.N => $"CHANGED (n {b.N} -> {Measured?.N})",
        MetricStatus.NotInBaseline => "not in baseline",
        _ => Status.ToString().ToUpperInvariant(),
    };
}

/// <summary>
/// What <see cref="Snapshot.Verify"/> found. A test asserts <c>Assert.True(result.Passed, result.Diff)</c>.
/// </summary>
/// <param name="VerifiedPath">The baseline file, <c>&lt;name&gt;.json</c>.</param>
/// <param name="ReceivedPath">The <c>&lt;name&gt;.received.json</c> written for a mismatch; null when none was written.</param>
/// <param name="Matched">The measurements matched an existing baseline.</param>
/// <param name="Accepted">The baseline was (re)written from the measurements.</param>
/// <param name="BaselineFound">A readable baseline existed before this call.</param>
/// <param name="Rows">Every metric of baseline and measurement, sorted by name.</param>
/// <param name="Diff">Readable report: summary, the per-metric table, and how to accept.</param>
public sealed record SnapshotResult(
    string VerifiedPath, string? ReceivedPath, bool Matched, bool Accepted, bool BaselineFound,
    IReadOnlyList<SnapshotRow> Rows, string Diff)
{
    public bool Passed => Matched || Accepted;
    public override string ToString() => Diff;
}

/// <summary>The per-metric table of a snapshot report, in plain aligned text (it ends up in test logs).</summary>
static class DiffTable
{
    static readonly string[] Header = ["metric", "baseline mean [95% CI] n", "measured mean [95% CI] n", "diff", "tolerance", "status"];
    static readonly bool[] RightAligned = [false, false, false, true, true, false];

    public static string Render(IReadOnlyList<SnapshotRow> rows)
    {
        var cells = new List<string[]> { Header };
        cells.AddRange(rows.Select(r => new[]
        {
            r.Metric, Describe(r.Baseline), Describe(r.Measured),
            r.Difference is { } d ? Signed(d) : "-",
            r.Tolerance is { } t ? Small(t) : "-",
            r.StatusLabel,
        }));
        int[] widths = Enumerable.Range(0, Header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();

        var sb = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            AppendRow(sb, cells[i], widths);
            if (i == 0) AppendRow(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        }
        return sb.ToString();
    }

    static void AppendRow(StringBuilder sb, string[] row, int[] widths)
    {
        var line = new StringBuilder("  ");
        for (int c = 0; c < row.Length; c++)
        {
            if (c > 0) line.Append("  ");
            line.Append(RightAligned[c] ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }

    /// <summary>As the file would store it, so the table and a received file agree; an n of 0 (not recorded) shows as "n=?".</summary>
    static string Describe(Estimate? e) => e is { } v
        ? $"{BaselineFile.Number(v.Mean)} [{BaselineFile.Number(v.Lo)}, {BaselineFile.Number(v.Hi)}] n={(v.N == 0 ? "?" : v.N.ToString(CultureInfo.InvariantCulture))}"
        : "-";

    /// <summary>Exactly 0 prints as "0", so bitwise equality is visible; float noise prints in scientific notation.</summary>
    static string Signed(double d) => d == 0 ? "0" : (d > 0 ? "+" : "-") + Small(Math.Abs(d));

    static string Small(double v) => v != 0 && v < 1e-3
        ? v.ToString("0.0e+0", CultureInfo.InvariantCulture)
        : v.ToString("F4", CultureInfo.InvariantCulture);
}
