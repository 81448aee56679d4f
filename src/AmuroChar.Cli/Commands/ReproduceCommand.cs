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

        [CommandOption("--plan"), Description("Print the plan (cells, tokens, FLOPs, memory, wall time) and do no work; see `grid plan`.")]
        public bool Plan { get; init; }

        [CommandOption("--throughput-tflops <X>"), Description("With --plan: sustained TFLOP/s of one device, for wall times.")]
        public double? ThroughputTflops { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        long seed = s.Seed ?? s.WorldSeed;
        if (s.Plan) return GridCommands.PrintPlan(s.Scale, seed, s.Store, s.ThroughputTflops);
        var store = s.OpenStore();
        string outDir = s.Out ?? Path.Combine("out", $"{s.Scale}-seed{seed}");
        IReadOnlyList<StudyRunner.PhaseTime> times = [];
        var outcome = ProgressDisplay.Run(progress =>
        {
            var inputs = AmuroChar.Study.StudyFactory.Inputs(s.Scale, seed, store, progress);
            var measurements = new Measurements(new AmuroChar.Study.Study(inputs, store, progress));
            var findings = StudyRunner.AllFindings(measurements);
            times = StudyRunner.Run(measurements, findings, s.Workers);
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
