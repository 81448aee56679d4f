using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Model;

namespace AmuroChar.Findings;

/// <summary>
/// The whole study written down: <c>report.md</c> (each claim reproduced or not, with the numbers it was judged on,
/// next to the paper's), <c>results.json</c> (every measurement with its CI, every verdict) and the figures.
/// </summary>
public static class ReproductionReport
{
    public sealed record Outcome(string ReportPath, string ResultsPath, IReadOnlyList<string> Figures, IReadOnlyList<(Finding Finding, Verdict Verdict)> Verdicts,
        string Scale, long? WorldSeed)
    {
        public Standing StandingOf(Verdict v) => KnownGaps.Judge(v, Scale, WorldSeed);
        /// <summary>See <see cref="KnownGaps.ExitCode"/>.</summary>
        public int ExitCode => KnownGaps.ExitCode(Verdicts.Select(v => StandingOf(v.Verdict)));
        /// <summary>A console line naming the claim by its id (<see cref="Claim.Id"/>), which names its finding too.</summary>
        public string Line(Finding f, Verdict v) => $"{Tag(StandingOf(v))} {v.Id}: {v.Claim}" +
            (StandingOf(v) is Standing.Reproduced or Standing.Recorded ? "" : $"\n         {KnownGaps.Describe(v, StandingOf(v), Scale)}");
        static string Tag(Standing s) => s switch
        {
            Standing.Reproduced => "holds ", Standing.Recorded => "record", Standing.KnownGap => "gap   ",
            Standing.GapClosed => "CLOSED", Standing.NotTestable => "UNTEST", _ => "FAILS ",
        };
    }

    public static Outcome Write(Measurements m, IReadOnlyList<Finding> findings, string directory, string description)
    {
        Directory.CreateDirectory(directory);
        var figures = new List<string>();
        var verdicts = new List<(Finding, Verdict)>();
        var results = new JsonObject
        {
            ["scale"] = m.Scale.Name,
            ["description"] = description,
            // Steps as numbers; the main revision as "main" (CheckpointStep), as the report and baselines/paper name it.
            ["checkpoints"] = new JsonArray(m.Checkpoints.Select(c => c == CheckpointStep.Main ? (JsonNode)CheckpointStep.MainName : c).ToArray()),
            ["finetune_seeds"] = new JsonArray(m.Seeds.Select(s => (JsonNode)s).ToArray()),
            // Every setting the numbers were made under, as resolved here (precision on this device, not "auto"), so a
            // results.json says what ran and not only the scale's name.
            ["settings"] = Settings(m),
        };
        if (m.Scale.Shrunk is { } shrunk) results["miniature"] = shrunk.ToString();
        var findingsJson = new JsonArray();
        var md = new StringBuilder();
        md.AppendLine($"# Amuro & Char reproduction — {m.Scale.Name} scale").AppendLine();
        md.AppendLine(description).AppendLine();
        if (m.Scale.Shrunk is { } sizes)
            md.AppendLine($"**Miniature: sizes shrunk ({sizes}); claims judged but not asserted.** The inputs, study, findings and report are "
                          + "the ones a full run uses; at these sizes the numbers mean nothing, and `reproduce` exits 0 whatever the verdicts.").AppendLine();
        md.AppendLine($"Checkpoints (pre-training steps): {string.Join(", ", m.Checkpoints.Select(CheckpointStep.Label))}; fine-tuned: {string.Join(", ", m.FineTuneCheckpoints.Select(CheckpointStep.Label))}; " +
                      $"fine-tuning seeds: {string.Join(", ", m.Seeds)}; instruction-tuning seeds: {string.Join(", ", m.Scale.InstructionSeeds)}. " +
                      $"Fine-tuning: lr {m.Scale.FineTune.LearningRate:g3}{string.Concat(m.Scale.FineTuneLearningRates.Select(kv => $" ({kv.Key} {kv.Value:g3})"))}, {m.Scale.FineTune.Epochs} epochs, batch {m.Scale.FineTune.BatchSize}, max length {m.Scale.FineTune.MaxLength}; " +
                      $"instruction tuning: lr {m.Scale.Instruct.LearningRate:g3}, {m.Scale.Instruct.Epochs} epochs, batch {m.Scale.Instruct.BatchSize}; " +
                      $"models computed in {m.Study.ResolvedPrecision.Name()} on {m.Study.Device} (every setting: `settings` in results.json); " +
                      $"evaluation protocol: {m.Scale.Protocol.Name} ({ProtocolText(m.Scale.Protocol)}). " +
                      $"Base and instruction-tuned models get {m.Scale.Shots}-shot prompts, fine-tuned models {m.Scale.FineTunedShots}-shot. " +
                      "Every number is a mean with a seeded bootstrap 95% CI; a fine-tuned number's CI resamples the fine-tuning seeds and the items, " +
                      "and pooled numbers draw each evaluation set's items once for all the cells that use it.").AppendLine();
        md.AppendLine(m.ShotsDiffer
            ? $"Gains and changes compare like with like: fine-tuned − base with the same {m.Scale.FineTunedShots} demonstrations, and that is what the claims assert. " +
              $"The paper compared with a {m.Scale.Shots}-shot base everywhere; that comparison is reported beside each gain as `…_{m.FewShotBaseSuffix}`, not asserted."
            : $"Gains and changes compare like with like: fine-tuned and base models both get {m.Scale.Shots}-shot prompts, as in the paper.").AppendLine();

        md.Append(DataSection(m.Study.Inputs.Datasets));
        var summary = new StringBuilder("| claim id | claim | result |\n|---|---|---|\n");
        foreach (var f in findings)
        {
            var judged = f.Judge();
            string figureDir = Path.Combine(directory, "figures", f.Id);
            Directory.CreateDirectory(figureDir);
            var plotted = f.Plot(figureDir);
            figures.AddRange(plotted);

            md.AppendLine($"## {f.Title}").AppendLine();
            md.AppendLine($"**The paper:** {f.PaperSays}").AppendLine();
            foreach (var v in judged)
            {
                verdicts.Add((f, v));
                var standing = KnownGaps.Judge(v, m.Scale.Name, m.WorldSeed);
                // Where the claim stands and why, in one table cell (a '|' in a reason would split the row).
                string status = standing is Standing.Recorded ? v.Status : $"**{KnownGaps.Describe(v, standing, m.Scale.Name).Replace("|", "\\|")}**";
                summary.AppendLine($"| `{v.Id}` | {v.Claim} | {status} |");
                md.AppendLine($"- {status}: {v.Claim} (`{v.Id}`)");
                foreach (var line in v.Evidence) md.AppendLine($"  - {line}");
            }
            md.AppendLine();
            foreach (var png in plotted) md.AppendLine($"![{Path.GetFileNameWithoutExtension(png)}]({Path.GetRelativePath(directory, png).Replace('\\', '/')})");
            md.AppendLine();

            var perStep = new JsonObject();
            foreach (int step in f.Checkpoints)
                perStep[CheckpointStep.Label(step)] = Metrics(f.Measure(step));
            findingsJson.Add(new JsonObject
            {
                ["id"] = f.Id,
                ["title"] = f.Title,
                ["paper"] = f.PaperSays,
                ["verdicts"] = new JsonArray(judged.Select(v => (JsonNode)new JsonObject
                {
                    ["id"] = v.Id, ["claim"] = v.Claim, ["asserted"] = v.Asserted, ["holds"] = v.Holds,
                    ["standing"] = KnownGaps.Judge(v, m.Scale.Name, m.WorldSeed).ToString(),
                    ["clauses"] = new JsonArray(v.Clauses.Select(c => (JsonNode)new JsonObject
                    {
                        ["name"] = c.Name, ["outcome"] = c.Outcome.ToString(), ["evidence"] = c.Evidence,
                    }).ToArray()),
                    ["context"] = new JsonArray(v.Context.Select(e => (JsonNode)e).ToArray()),
                }).ToArray()),
                ["measurements"] = perStep,
            });
        }
        results["findings"] = findingsJson;
        // The paper's numbers are OLMo-1B's: beside another family's checkpoints they would compare different models.
        if (m.Scale.Source is AmuroChar.Study.ScaleSource.Checkpointed { Repository: CheckpointRevisions.RepoId })
            md.Append(PaperComparison.Section(findings, RepositoryRoot.Find() is { } root ? Path.Combine(root, "baselines", "paper") : null));
        else if (m.Scale.Source is AmuroChar.Study.ScaleSource.Checkpointed)
            md.Append($"## Beside the paper\n\nThe paper's numbers are OLMo-1B's ({CheckpointRevisions.RepoId}); this run studied {m.Scale.ModelRepository}, so none are set beside it.\n\n");

        string report = Path.Combine(directory, "report.md"), json = Path.Combine(directory, "results.json");
        var text = new StringBuilder(md.ToString());
        int headerEnd = text.ToString().IndexOf("\n## ", StringComparison.Ordinal);
        text.Insert(headerEnd < 0 ? text.Length : headerEnd + 1, "## Summary\n\n" + summary + "\n");
        AtomicFile.WriteAllText(report, text.ToString());
        AtomicFile.WriteAllText(json, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new Outcome(report, json, figures, verdicts, m.Scale.Name, m.WorldSeed);
    }

    /// <summary>What reading the data files dropped or found twice, and which splits could not be read; empty for
    /// generated data. One line per file read.</summary>
    internal static string DataSection(AmuroChar.Tasks.DatasetCatalog catalog)
    {
        var files = catalog.All.Where(d => d.Counts is not null).GroupBy(d => d.Source).Select(g => g.First()).ToList();
        var problems = catalog.Problems.ToList();
        if (files.Count == 0 && problems.Count == 0) return "";
        var md = new StringBuilder("## Data\n\nRows read from each file, rows dropped for having no label (-1), and duplicates "
            + "(same inputs and target as an earlier row; kept, as the reference evaluations score every row).\n\n"
            + "| dataset | stands for | rows | dropped (unlabeled) | duplicates |\n|---|---|---|---|---|\n");
        foreach (var d in files.OrderBy(d => d.Name, StringComparer.Ordinal))
            md.AppendLine($"| {d.Name} | {d.StandsFor} | {d.Counts!.Rows} | {d.Counts.DroppedUnlabeled} | {d.Counts.Duplicates} |");
        foreach (var p in problems) md.AppendLine($"| {p.Key} | could not be read: {p.Message.Replace("|", "\\|")} | | | |");
        return md.AppendLine().ToString();
    }

    static string ProtocolText(AmuroChar.Evaluation.EvalProtocol p) =>
        (p.DemosFromEvaluatedSet ? "demonstrations are the evaluated file's first items, scored too" : "demonstrations drawn from a pool never scored")
        + $", each followed by {(p.DemoDelimiter == "\n" ? "a newline" : "a blank line")}; generation "
        + (p.StopAtLineEnd ? "ends at the first newline" : "runs to its token budget or end of sequence")
        + $"; ROUGE-L {(p.StemRouge ? "stemmed" : "unstemmed")}";

    /// <summary>The scale's settings as the study resolved them: the record itself (learning rates, epochs, batch sizes,
    /// shots, seeds, sizes), plus the device and the precision models were evaluated in.</summary>
    public static JsonObject Settings(Measurements m)
    {
        var o = System.Text.Json.JsonSerializer.SerializeToNode(m.Scale)!.AsObject();
        o["device"] = m.Study.Device.ToString();
        o["precision"] = m.Study.ResolvedPrecision.Name();
        return o;
    }

    static JsonObject Metrics(IReadOnlyDictionary<string, Estimate> metrics)
    {
        var o = new JsonObject();
        foreach (var (name, e) in metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            o[name] = e.ToJson(decimals: 4);
        return o;
    }
}
