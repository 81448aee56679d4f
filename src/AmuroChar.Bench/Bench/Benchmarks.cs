using System.Diagnostics;
using System.Text.Json.Nodes;
using AmuroChar.Evaluation;
using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Bench;

/// <summary>
/// Speed and memory of the engine at the tiny preset, as numbers (never as timed tests): dense matmul FLOP/s of this
/// machine, training tokens/s and model FLOP utilisation, KV-cached vs uncached greedy decoding, batched scoring, the shared few-shot prefix computed once vs every prompt whole at paper-like lengths,
/// resident memory over many training steps, and encode throughput of OLMo-1B's tokenizer.
/// </summary>
public static class Benchmarks
{
    /// <param name="tokenizerFixture">The folder of OLMo-1B's tokenizer.json and the parity strings (null: that part is skipped).</param>
    public static JsonObject Run(string? tokenizerFixture, int threads = 2, int memorySteps = 1000, string preset = "tiny", int vocabulary = 1536)
    {
        TorchRuntime.SetThreads(threads);
        var config = OlmoConfig.Preset(preset).WithVocabularyFor(vocabulary, 0, 1);
        var platform = NumericPlatform.Current;
        double peak = Machine.MatmulFlopsPerSecond(seconds: 2);
        var (tokensPerSecond, flopsPerToken) = Training(config, 128, 32, steps: 30);
        var (memoryStart, memoryEnd) = MemoryOverSteps(config, memorySteps);
        var decoding = new JsonObject();
        foreach (int promptLength in new[] { 64, 256 })
        {
            var (cached, uncached) = Decoding(config, promptLength);
            decoding[$"prompt_{promptLength}"] = new JsonObject
            {
                ["cached_tokens_per_second"] = Math.Round(cached), ["uncached_tokens_per_second"] = Math.Round(uncached),
                ["speedup"] = Math.Round(cached / uncached, 1),
            };
        }
        decoding["note"] = "16 prompts of the given length, 48 new tokens each";
        double scoring = Scoring(config);
        var sharedPrefix = new JsonObject();
        // Paper-like 4-shot prompts under the authors' protocol: MNLI pairs (~60 tokens an item) scored by next word,
        // XSum documents (~400 tokens an item, so the demonstrations fill most of OLMo's 2,048-token window) generated.
        foreach (var (name, demos, own, items, generate) in new[] { ("mnli_like", 256, 64, 64, false), ("xsum_like", 1600, 400, 16, true) })
            sharedPrefix[name] = SharedPrefix(config, demos, own, items, generate);
        sharedPrefix["note"] = "the same prompts with the shared few-shot prefix computed once (shared) and every prompt run whole; generation: 60 new tokens; " +
            "token_ratio = tokens computed whole / shared, what `reproduce --plan` counts";
        var tokenizer = TokenizerBenchmark.Run(tokenizerFixture);
        return new JsonObject
        {
            ["machine"] = new JsonObject
            {
                ["threads"] = threads, ["processors"] = Environment.ProcessorCount, ["matmul_gflops"] = Math.Round(peak / 1e9, 1),
                // Which kernels ran: the caps (or their absence) and the measured fingerprint, so two bench runs can be
                // told apart by what they computed, not only by how fast.
                ["cpu"] = platform.Cpu, ["numerics"] = platform.Numerics, ["fingerprint"] = platform.Fingerprint.Short,
                ["environment"] = new JsonObject(NumericPlatform.EnvironmentVariables
                    .Where(v => Environment.GetEnvironmentVariable(v) is { Length: > 0 })
                    .Select(v => KeyValuePair.Create(v, (JsonNode?)Environment.GetEnvironmentVariable(v)))),
            },
            ["model"] = new JsonObject { ["preset"] = preset, ["parameters"] = Parameters(config), ["vocabulary"] = config.VocabSize },
            ["training"] = new JsonObject
            {
                ["tokens_per_second"] = Math.Round(tokensPerSecond),
                ["model_gflops"] = Math.Round(tokensPerSecond * flopsPerToken / 1e9, 1),
                ["mfu"] = Math.Round(tokensPerSecond * flopsPerToken / peak, 3),
                ["note"] = "MFU = CostModel.TrainFlopsPerToken (6 × matmul parameters + 12·L·T·heads·head_dim) × tokens/s ÷ measured 1024² fp32 matmul FLOP/s",
            },
            ["memory"] = new JsonObject
            {
                ["steps"] = memorySteps, ["rss_mb_after_warmup"] = Math.Round(memoryStart / 1048576.0, 1),
                ["rss_mb_at_end"] = Math.Round(memoryEnd / 1048576.0, 1), ["growth"] = Math.Round(memoryEnd / memoryStart - 1, 3),
            },
            ["decoding"] = decoding,
            ["scoring"] = new JsonObject { ["tokens_per_second"] = Math.Round(scoring) },
            ["shared_prefix"] = sharedPrefix,
            ["tokenizer_encode"] = tokenizer,
        };
    }

    static long Parameters(OlmoConfig c)
    {
        using var m = new OlmoForCausalLM(c);
        return m.parameters().Sum(p => p.numel());
    }

    static (double TokensPerSecond, double FlopsPerToken) Training(OlmoConfig config, int length, int batch, int steps)
    {
        using var model = OlmoForCausalLM.CreateRandom(config, 1);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: 1e-3);
        using var ids = randint(2, config.VocabSize, [batch, length + 1], generator: new Generator(1));
        var clock = new Stopwatch();
        for (int i = 0; i < steps + 5; i++)
        {
            if (i == 5) clock.Start();
            Machine.TrainStep(model, optimizer, ids);
        }
        double flops = CostModel.TrainFlopsPerToken(ModelArchitecture.Of(config), length);   // the planner's formula, so bench and plan agree
        return ((double)steps * batch * length / clock.Elapsed.TotalSeconds, flops);
    }

    static (double Start, double End) MemoryOverSteps(OlmoConfig config, int steps)
    {
        using var model = OlmoForCausalLM.CreateRandom(config, 2);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: 1e-3);
        using var ids = randint(2, config.VocabSize, [8, 65], generator: new Generator(2));
        double start = 0;
        for (int i = 0; i < steps; i++)
        {
            Machine.TrainStep(model, optimizer, ids);
            if (i == Math.Min(100, steps / 10)) start = Machine.ResidentBytes();
        }
        return (start, Machine.ResidentBytes());
    }

    static (double Cached, double Uncached) Decoding(OlmoConfig config, int promptLength)
    {
        using var model = OlmoForCausalLM.CreateRandom(config, 3);
        var prompts = Enumerable.Range(0, 16).Select(i => Enumerable.Range(0, promptLength).Select(t => 2 + (i * 31 + t * 7) % (config.VocabSize - 2)).ToArray()).ToList();
        var generator = new GreedyGenerator(model, padId: 1, eosId: -1);
        double Measure(bool cache)
        {
            var clock = Stopwatch.StartNew();
            var outputs = generator.Generate(prompts, 48, useCache: cache);
            return outputs.Sum(o => o.Length) / clock.Elapsed.TotalSeconds;
        }
        Measure(true);
        return (Measure(true), Measure(false));
    }

    /// <summary>Wall time of <paramref name="items"/> prompts that share <paramref name="demos"/> tokens and have
    /// <paramref name="own"/> tokens each, scored by next token or generated (60 tokens), with the prefix shared and
    /// whole; the model's window is stretched to 2,048 positions as OLMo-1B's.</summary>
    static JsonObject SharedPrefix(OlmoConfig config, int demos, int own, int items, bool generate)
    {
        using var model = OlmoForCausalLM.CreateRandom(config with { MaxPositionEmbeddings = 2048 }, 5);
        int[] prefix = Enumerable.Range(0, demos).Select(t => 2 + t * 7 % (config.VocabSize - 2)).ToArray();
        var prompts = Enumerable.Range(0, items).Select(i => (int[])[.. prefix, .. Enumerable.Range(0, own).Select(t => 2 + (i * 31 + t * 11) % (config.VocabSize - 2))]).ToList();
        double Seconds(bool share)
        {
            var clock = Stopwatch.StartNew();
            if (generate) new GreedyGenerator(model, padId: 1, eosId: -1, batchSize: 8, sharePrefix: share).Generate(prompts, 60);
            else new Scorer(model, padId: 1, sharePrefix: share).NextTokenLogProbs(prompts, [5, 6, 7]);
            return clock.Elapsed.TotalSeconds;
        }
        Seconds(true);
        double shared = Seconds(true), whole = Seconds(false);
        return new JsonObject
        {
            ["demonstration_tokens"] = demos, ["item_tokens"] = own, ["items"] = items, ["method"] = generate ? "generate" : "next-word",
            ["shared_seconds"] = Math.Round(shared, 3), ["whole_seconds"] = Math.Round(whole, 3), ["speedup"] = Math.Round(whole / shared, 1),
            ["token_ratio"] = Math.Round((double)items * (demos + own) / (demos + (double)items * own), 1),
        };
    }

    static double Scoring(OlmoConfig config)
    {
        using var model = OlmoForCausalLM.CreateRandom(config, 4);
        var requests = Enumerable.Range(0, 256).Select(i => new ScoringRequest(
            Enumerable.Range(0, 40 + i % 40).Select(t => 2 + (i * 13 + t * 5) % (config.VocabSize - 2)).ToArray(), [5, 6])).ToList();
        var scorer = new Scorer(model, padId: 1);
        scorer.LogLikelihoods(requests.Take(32).ToList());
        var clock = Stopwatch.StartNew();
        scorer.LogLikelihoods(requests);
        return requests.Sum(r => r.Context.Length + r.Continuation.Length) / clock.Elapsed.TotalSeconds;
    }
}
