using System.ComponentModel;
using AmuroChar.Findings;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>The main job: the whole study at a scale, then report.md, results.json and the figures.</summary>
sealed class ReproduceCommand : Command<ReproduceCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--seed <N>"), Description("World seed (same as --world-seed).")]
        public long? Seed { get; init; }

        [CommandOption("--out <DIR>"), Description("Where to write report.md, results.json and figures/ (default: out/<scale>-seed<N>).")]
        public string? Out { get; init; }

        [CommandOption("--workers <N>"), Description("Independent jobs run side by side after pre-training (default 2).")]
        public int Workers { get; init; } = 2;

        public override Spectre.Console.ValidationResult Validate() =>
            Workers < 1 ? Spectre.Console.ValidationResult.Error($"--workers must be ≥ 1, not {Workers}")
            : Seed is not null && WorldSeed != 1 && Seed != WorldSeed ? Spectre.Console.ValidationResult.Error($"--seed {Seed} and --world-seed {WorldSeed} disagree; give one")
            : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        long seed = s.Seed ?? s.WorldSeed;
        var store = s.OpenStore();
        string outDir = s.Out ?? Path.Combine("out", $"{s.Scale}-seed{seed}");
        OutputPaths.RequireWritableFolder(outDir, "--out");   // before ~15 minutes of work, not after
        IReadOnlyList<StudyRunner.PhaseTime> times = [];
        var relay = new ProgressRelay();
        var inputs = AmuroChar.Study.StudyFactory.Inputs(s.Scale, seed, store, relay);
        var outcome = ProgressDisplay.Run(relay, () =>
        {
            var measurements = new Measurements(new AmuroChar.Study.Study(inputs, store, relay));
            var findings = StudyRunner.AllFindings(measurements);
            times = StudyRunner.Run(measurements, findings, s.Workers, relay);
            string description = s.Scale == "paper" ? "OLMo-1B-hf revisions and the paper's datasets from local files." : $"Tiny world, seed {seed}.";
            return ReproductionReport.Write(measurements, findings, outDir, description);
        });
        foreach (var phase in times) Console.WriteLine($"phase  {phase}");
        foreach (var (finding, verdict) in outcome.Verdicts)
            Console.WriteLine($"{(!verdict.Asserted ? "record" : verdict.Holds ? "holds " : "FAILS ")} {finding.Id}: {verdict.Claim}");
        Console.WriteLine($"report:  {outcome.ReportPath}");
        Console.WriteLine($"results: {outcome.ResultsPath}");
        Console.WriteLine($"figures: {Path.GetDirectoryName(outcome.Figures.FirstOrDefault() ?? outDir)}/..");
        // A study whose claims fail is a result, not a crash, but scripts and CI must be able to tell: exit 1.
        var claims = outcome.Verdicts.Where(v => v.Verdict.Asserted).ToList();
        int failed = claims.Count(v => !v.Verdict.Holds);
        if (failed == 0) return 0;
        Console.Error.WriteLine($"amurochar: {failed} of {claims.Count} claims did not hold; see {outcome.ReportPath}");
        return 1;
    }
}
