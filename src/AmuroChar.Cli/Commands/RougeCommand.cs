using System.ComponentModel;
using AmuroChar.Evaluation;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

sealed class RougeCommand : Command<RougeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--in <FILE>"), Description("JSONL, one {\"prediction\": \"...\", \"reference\": \"...\"} per line.")]
        public string In { get; init; } = "";

        [CommandOption("--stem"), Description("Porter-stem tokens longer than 3 characters, as rouge-score's use_stemmer.")]
        public bool Stem { get; init; }

        [CommandOption("--seed <N>"), Description("Bootstrap seed for the 95% CI.")]
        public int Seed { get; init; } = AmuroChar.Evaluation.Bootstrap.DefaultSeed;

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(In) ? Spectre.Console.ValidationResult.Error("--in FILE is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        Console.WriteLine(RougeFile.Score(s.In, s.Stem, s.Seed).ToJson());
        return 0;
    }
}
