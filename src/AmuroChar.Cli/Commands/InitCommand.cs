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
        [CommandOption("--family <TYPE>"), Description("Model family (config.json's model_type): olmo or gpt_neox (Pythia's).")]
        public string Family { get; init; } = "olmo";

        [CommandOption("--preset <NAME>"), Description("Model preset: olmo-1b, small, tiny, micro (gpt_neox: pythia-70m, tiny, micro).")]
        public string Preset { get; init; } = "tiny";

        [CommandOption("--out <DIR>"), Description("Directory to write (config.json, model.safetensors, tokenizer.json).")]
        public string Out { get; init; } = "";

        [CommandOption("--seed <N>"), Description("Initialisation seed.")]
        public long Seed { get; init; } = 1;

        [CommandOption("--tokenizer <FILE>"), Description("A tokenizer.json to copy in; the vocabulary is sized to it.")]
        public string? Tokenizer { get; init; }

        [CommandOption("--force"), Description("Write into a non-empty folder, replacing the model files there (and removing a tokenizer left from an earlier model).")]
        public bool Force { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? Spectre.Console.ValidationResult.Error("--out DIR is required") : base.Validate();
    }

    /// <summary>Files of a Hugging Face model folder that describe the model written before: with --force they go,
    /// so a new random model never sits beside the old one's tokenizer.</summary>
    static readonly string[] ModelFiles =
        [HfModelDirectory.ConfigFileName, "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"];

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var existing = Directory.Exists(s.Out) ? Directory.EnumerateFileSystemEntries(s.Out).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
        if (existing.Count > 0 && !s.Force)
            throw new IOException($"--out {s.Out}: the folder is not empty ({string.Join(", ", existing.Take(5))}{(existing.Count > 5 ? ", …" : "")}); "
                                  + "pass --force to replace the model files in it");
        OutputPaths.RequireWritableFolder(s.Out, "--out");
        var family = ModelFamilies.For(s.Family);
        HfTokenizer? tokenizer = s.Tokenizer is null ? null : HfTokenizer.Load(s.Tokenizer);
        using ICausalLM model = family.CreateRandom(s.Preset, s.Seed, tokenizer is null ? null : (tokenizer.VocabularySize, tokenizer.EosId, tokenizer.PadId));
        foreach (string name in ModelFiles)
            if (File.Exists(Path.Combine(s.Out, name))) File.Delete(Path.Combine(s.Out, name));   // stale weights: the family's Save removes them
        family.Save(s.Out, model);
        tokenizer?.Save(Path.Combine(s.Out, "tokenizer.json"));
        Console.WriteLine($"wrote {s.Out}: {family.ModelType} {s.Preset}, {model.Module.parameters().Sum(p => p.numel()):N0} parameters, vocab {model.Shape.VocabSize}");
        return 0;
    }
}
