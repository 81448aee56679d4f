using System.ComponentModel;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tokenization;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

sealed class InitCommand : Command<InitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <NAME>"), Description("Model preset: olmo-1b, small, tiny, micro.")]
        public string Preset { get; init; } = "tiny";

        [CommandOption("--out <DIR>"), Description("Directory to write (config.json, model.safetensors, tokenizer.json).")]
        public string Out { get; init; } = "";

        [CommandOption("--seed <N>"), Description("Initialisation seed.")]
        public long Seed { get; init; } = 1;

        [CommandOption("--tokenizer <FILE>"), Description("A tokenizer.json to copy in; the vocabulary is sized to it.")]
        public string? Tokenizer { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? Spectre.Console.ValidationResult.Error("--out DIR is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var config = OlmoConfig.Preset(s.Preset);
        HfTokenizer? tokenizer = s.Tokenizer is null ? null : HfTokenizer.Load(s.Tokenizer);
        if (tokenizer is not null) config = config.WithVocabularyFor(tokenizer.VocabularySize, tokenizer.EosId, tokenizer.PadId);
        using var model = OlmoForCausalLM.CreateRandom(config, s.Seed);
        Directory.CreateDirectory(s.Out);
        HfModelDirectory.Save(s.Out, config, model.StateDict().Select(kv => (kv.Key, kv.Value)));
        tokenizer?.Save(Path.Combine(s.Out, "tokenizer.json"));
        Console.WriteLine($"wrote {s.Out}: {s.Preset}, {model.parameters().Sum(p => p.numel()):N0} parameters, vocab {config.VocabSize}");
        return 0;
    }
}
