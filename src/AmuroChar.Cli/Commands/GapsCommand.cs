using System.ComponentModel;
using AmuroChar.Findings;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>The known gaps (src/AmuroChar.Science/Findings/KnownGaps.cs): the one list the suite, `reproduce` and CI read.</summary>
sealed class GapsCommand : Command<GapsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scale <NAME>"), Description("Only the gaps of this scale (tiny, paper).")]
        public string? Scale { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        foreach (var g in KnownGaps.All.Where(g => s.Scale is null || g.Scale == s.Scale))
            Console.WriteLine($"{g.Scale} (world seed {KnownGaps.MeasuredOnWorldSeed}) {g.ClaimId}: {g.Expected}. {g.Why}");
        return 0;
    }
}
