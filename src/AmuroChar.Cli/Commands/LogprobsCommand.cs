using System.ComponentModel;
using System.Text.Json;
using AmuroChar.Model;
using AmuroChar.Tokenization;
using Spectre.Console.Cli;
using static TorchSharp.torch;
using AmuroChar.Checkpoints;

namespace AmuroChar.Cli.Commands;

/// <summary>Output shape fixed for cross-implementation checks: {"tokens":[ids],"logprobs":[log p(t_i | t_&lt;i), i ≥ 1]}.</summary>
sealed class LogprobsCommand : Command<LogprobsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>"), Description("A Hugging Face model directory.")]
        public string Model { get; init; } = "";

        [CommandOption("--ids <IDS>"), Description("Comma-separated token ids.")]
        public string? Ids { get; init; }

        [CommandOption("--text <TEXT>"), Description("Text, tokenized with the directory's tokenizer.json.")]
        public string? Text { get; init; }

        [CommandOption("--cache"), Description("Decode token by token through the KV cache instead of one full forward pass.")]
        public bool Cache { get; init; }

        [CommandOption("--device <DEVICE>"), Description("cpu, cuda or auto (default: cuda when available).")]
        public string? Device { get; init; }

        [CommandOption("--precision <PRECISION>"), Description("fp32 (default), bf16-mixed (autocast-style bf16 matmuls, fp32 weights) or auto (bf16-mixed on CUDA).")]
        public string Precision { get; init; } = "fp32";

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) ? Spectre.Console.ValidationResult.Error("--model DIR is required")
            : (Ids is null) == (Text is null) ? Spectre.Console.ValidationResult.Error("give exactly one of --ids and --text")
            : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var device = TorchRuntime.ResolveDevice(s.Device);
        var precision = MixedPrecision.Parse(s.Precision);
        using var model = ModelLoader.Load(s.Model, device);
        model.Precision = precision;
        int[] ids = s.Ids is not null
            ? s.Ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseId).ToArray()
            : HfTokenizer.Load(Path.Combine(s.Model, "tokenizer.json")).Encode(s.Text!).ToArray();
        if (ids.Length == 0) throw new ArgumentException("no tokens to score");
        foreach (int id in ids)
            if (id < 0 || id >= model.Shape.VocabSize) throw new ArgumentException($"token id {id} is outside the vocabulary (0..{model.Shape.VocabSize - 1})");

        var logprobs = s.Cache ? Incremental(model, ids, device) : Full(model, ids, device);
        Console.WriteLine(JsonSerializer.Serialize(new { tokens = ids, logprobs }));
        return 0;
    }

    static int ParseId(string text) => int.TryParse(text, out int id) ? id : throw new ArgumentException($"--ids: '{text}' is not a token id");

    static double[] Full(ICausalLM model, int[] ids, Device device)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(ids.Select(i => (long)i).ToArray(), device: device).unsqueeze(0);
        var logp = model.Forward(input).log_softmax(-1)[0].to(CPU);
        return Enumerable.Range(1, ids.Length - 1).Select(i => (double)logp[i - 1, ids[i]].item<float>()).ToArray();
    }

    static double[] Incremental(ICausalLM model, int[] ids, Device device)
    {
        using var _ = no_grad();
        using var cache = new KvCache(model.Shape, 1, ids.Length, device);
        var result = new double[ids.Length - 1];
        for (int i = 0; i < ids.Length - 1; i++)
        {
            using var scope = NewDisposeScope();
            var logp = model.Forward(tensor(new long[] { ids[i] }, device: device).unsqueeze(0), cache: cache).log_softmax(-1);
            result[i] = logp[0, 0, ids[i + 1]].item<float>();
        }
        return result;
    }
}
