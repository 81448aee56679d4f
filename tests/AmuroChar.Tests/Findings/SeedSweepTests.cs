using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

public sealed class SeedSweepTests
{
    static Verdict V(string id, bool holds, string evidence) => new(id, id, [Clause.Judge("clause", holds, evidence)], []);

    static SeedSweep.SeedOutcome Seed(long seed, params (string Finding, Verdict Verdict)[] verdicts) => new(seed, verdicts, $"out/tiny-seed{seed}/report.md");

    [Fact]
    public void Counts_each_claim_per_seed_and_leaves_recorded_entries_out()
    {
        var seeds = new[]
        {
            Seed(2, ("latent", V("latent.rises", true, "xsum +0.25")), ("ood", Verdict.Recorded("ood", "ood changes", ["cnn -0.1"]))),
            Seed(3, ("latent", V("latent.rises", false, "paws +0.015 [-0.008, 0.040]"))),
            Seed(4, ("latent", V("latent.rises", true, "xsum +0.24")), ("format", V("format.gap_shrinks", false, "rho 0"))),
        };
        var rows = SeedSweep.Rows(seeds);
        Assert.Equal(["latent.rises", "format.gap_shrinks"], rows.Select(r => r.ClaimId));
        Assert.Equal((2, 3), (rows[0].Holds, rows[0].Judged));
        Assert.Equal((0, 1), (rows[1].Holds, rows[1].Judged));
        Assert.Null(rows[1].PerSeed[0]);

        string dir = Directory.CreateTempSubdirectory("amurochar-sweep-").FullName;
        try
        {
            string md = File.ReadAllText(SeedSweep.Write(seeds, dir, "tiny"));
            Assert.Contains("| `latent.rises` | latent.rises | holds | **fails** (clause) | holds | 2 of 3 |", md);
            Assert.Contains("| `format.gap_shrinks` | format.gap_shrinks | — | — | **fails** (clause) | 0 of 1 |", md);
            Assert.Contains("paws +0.015 [-0.008, 0.040]", md);
            Assert.DoesNotContain("ood changes", md);
            Assert.True(File.Exists(Path.Combine(dir, "claims-by-seed.json")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void No_seeds_is_an_error() => Assert.Throws<ArgumentException>(() => SeedSweep.Write([], Path.GetTempPath(), "tiny"));
}
