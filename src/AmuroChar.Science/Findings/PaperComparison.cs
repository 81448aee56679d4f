using System.Text;
using AmuroChar.Baselines;
using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;

namespace AmuroChar.Findings;

/// <summary>
/// The report's "Beside the paper" section at the paper scale: each finding's numbers at each checkpoint next to the
/// paper's own (<c>baselines/paper/&lt;finding&gt;/step-&lt;N&gt;.json</c>, generated from the authors' released results),
/// for every metric the paper reports. Set side by side, not judged: the findings suite compares them with tolerances.
/// </summary>
public static class PaperComparison
{
    /// <summary>The section's markdown; <paramref name="baselinesRoot"/> is <c>baselines/paper</c> (null: not found).</summary>
    public static string Section(IReadOnlyList<Finding> findings, string? baselinesRoot)
    {
        var md = new StringBuilder("## Beside the paper\n\n");
        if (baselinesRoot is null || !Directory.Exists(baselinesRoot))
            return md.Append("The paper's numbers (baselines/paper in the AmuroChar repository) were not found from here, so none are shown.\n\n").ToString();
        md.Append("Our numbers (mean [95% CI]) next to the paper's (`baselines/paper/<finding>/step-<N>.json`, from the authors' released "
                  + "results; the paper gives no intervals), for every metric the paper reports at a checkpoint both have.\n\n");
        foreach (var f in findings)
        {
            var rows = new StringBuilder();
            foreach (int step in f.Checkpoints)
            {
                string file = Path.Combine(baselinesRoot, f.Id, CheckpointStep.FileStem(step) + ".json");
                if (!File.Exists(file)) continue;
                var paper = BaselineFile.Read(file);
                var ours = f.Measure(step);
                foreach (var (metric, theirs) in paper)
                    rows.AppendLine($"| {CheckpointStep.Label(step)} | {metric} | {(ours.TryGetValue(metric, out var e) ? Show.Fmt(e) : "not measured")} | {theirs.Mean:0.000} |");
            }
            md.AppendLine($"### {f.Title} (`{f.Id}`)").AppendLine();
            md.Append(rows.Length == 0
                ? $"The paper reports no numbers at these checkpoints ({string.Join(", ", f.Checkpoints.Select(CheckpointStep.Label))}).\n"
                : "| step | metric | ours | paper |\n|---|---|---|---|\n" + rows);
            md.AppendLine();
        }
        return md.ToString();
    }
}
