using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Findings;

/// <summary>
/// The study over several tiny worlds: does each asserted claim hold beyond the world it was developed on? Each seed is
/// a whole study with its own report (<c>reproduce --seeds 2,3,4,5</c>); this writes the claims × seeds table with the
/// numbers every verdict was judged on, so a claim that holds on one world only is seen as such.
/// </summary>
public static class SeedSweep
{
    /// <summary>
    /// A list of world seeds as <c>reproduce --seeds</c> and the findings suite's AMUROCHAR_WORLD_SEEDS take it: distinct
    /// non-negative integers separated by commas ("2,3,4,5"); null when it is anything else.
    /// </summary>
    public static IReadOnlyList<long>? ParseWorldSeeds(string text)
    {
        var seeds = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            if (long.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seed)) seeds.Add(seed);
            else return null;
        return seeds.Count > 0 && seeds.Distinct().Count() == seeds.Count ? seeds : null;
    }

    /// <summary>One seed's study, as <see cref="ReproductionReport.Write"/> returned it.</summary>
    public sealed record SeedOutcome(long Seed, IReadOnlyList<(string FindingId, Verdict Verdict)> Verdicts, string ReportPath);

    /// <summary>A claim, by its id (<see cref="Claim.Id"/>), and how it fared on each seed (null where that seed's
    /// study did not judge it).</summary>
    public sealed record ClaimRow(string FindingId, string ClaimId, string Claim, IReadOnlyList<Verdict?> PerSeed)
    {
        public int Holds => PerSeed.Count(v => v is { Holds: true });
        public int Judged => PerSeed.Count(v => v is not null);
    }

    /// <summary>Asserted claims only, in the order the first seed judged them; recorded entries are not claims.</summary>
    public static IReadOnlyList<ClaimRow> Rows(IReadOnlyList<SeedOutcome> seeds)
    {
        var claims = seeds.SelectMany(s => s.Verdicts).Where(v => v.Verdict.Asserted)
            .Select(v => (v.FindingId, v.Verdict.Id, v.Verdict.Claim)).DistinctBy(c => c.Id).ToList();
        // By claim id alone: it names the finding too, and a claim's wording may carry numbers that differ by seed.
        return claims.Select(c => new ClaimRow(c.FindingId, c.Id, c.Claim,
            seeds.Select(s => s.Verdicts.FirstOrDefault(v => v.Verdict.Id == c.Id).Verdict).ToList())).ToList();
    }

    /// <summary>Writes <c>claims-by-seed.md</c> and <c>claims-by-seed.json</c> into <paramref name="directory"/>; returns the markdown path.</summary>
    public static string Write(IReadOnlyList<SeedOutcome> seeds, string directory, string scale)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seeds to tabulate", nameof(seeds));
        Directory.CreateDirectory(directory);
        var rows = Rows(seeds);

        var md = new StringBuilder();
        md.AppendLine($"# Claims × world seeds — {scale} scale").AppendLine();
        md.AppendLine($"World seeds {string.Join(", ", seeds.Select(s => s.Seed))}; each seed is a whole study (its report: " +
                      string.Join(", ", seeds.Select(s => $"seed {s.Seed} `{s.ReportPath}`")) + ").").AppendLine();
        md.AppendLine("| claim id | claim | " + string.Join(" | ", seeds.Select(s => $"seed {s.Seed}")) + " | holds on |");
        md.AppendLine("|---|---|" + string.Concat(seeds.Select(_ => "---|")) + "---|");
        foreach (var r in rows)
            md.AppendLine($"| `{r.ClaimId}` | {r.Claim} | " + string.Join(" | ", r.PerSeed.Select(Cell)) + $" | {r.Holds} of {r.Judged} |");
        md.AppendLine();
        md.AppendLine("## The numbers each verdict was judged on").AppendLine();
        foreach (var r in rows)
        {
            md.AppendLine($"### {r.ClaimId}: {r.Claim}").AppendLine();
            for (int i = 0; i < seeds.Count; i++)
            {
                if (r.PerSeed[i] is not { } v) continue;
                md.AppendLine($"- seed {seeds[i].Seed}: {Cell(v)}");
                foreach (var line in v.Evidence) md.AppendLine($"  - {line}");
            }
            md.AppendLine();
        }
        string mdPath = Path.Combine(directory, "claims-by-seed.md");
        AtomicFile.WriteAllText(mdPath, md.ToString());

        var json = new JsonObject
        {
            ["scale"] = scale,
            ["seeds"] = new JsonArray(seeds.Select(s => (JsonNode)s.Seed).ToArray()),
            ["claims"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["finding"] = r.FindingId,
                ["claim_id"] = r.ClaimId,
                ["claim"] = r.Claim,
                ["holds_on"] = r.Holds,
                ["judged_on"] = r.Judged,
                ["per_seed"] = new JsonArray(r.PerSeed.Select((v, i) => (JsonNode)new JsonObject
                {
                    ["seed"] = seeds[i].Seed,
                    ["holds"] = v?.Holds,
                    ["evidence"] = v is null ? null : new JsonArray(v.Evidence.Select(e => (JsonNode)e).ToArray()),
                }).ToArray()),
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(directory, "claims-by-seed.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return mdPath;
    }

    static string Cell(Verdict? v) => v is null ? "—" : v.Holds ? "holds" : !v.Testable ? "**not testable**" : $"**fails** ({string.Join("; ", v.Failing)})";
}
