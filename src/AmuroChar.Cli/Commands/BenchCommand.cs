using System.ComponentModel;
using System.Text.Json;
using AmuroChar.Bench;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Speed and memory figures of the engine at the tiny preset, printed as JSON (a benchmark, not a test).</summary>
sealed class BenchCommand : Command<BenchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--threads <N>"), Description("CPU threads (the tiny study uses 2).")]
        public int Threads { get; init; } = 2;

        [CommandOption("--memory-steps <N>"), Description("Training steps over which resident memory is followed.")]
        public int MemorySteps { get; init; } = 1000;
    }

    /// <summary>Where a checkout keeps OLMo-1B's tokenizer and the Hugging Face parity strings.</summary>
    const string TokenizerFixture = "tests/AmuroChar.Tests/Tokenization/Fixtures/olmo-1b";

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        string? fixture = RepositoryRoot.Find() is { } root ? Path.Combine(root, TokenizerFixture) : null;
        Console.WriteLine(Benchmarks.Run(fixture, s.Threads, s.MemorySteps).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}

