using AmuroChar.Model;
using AmuroChar.Tasks;
using AmuroChar.Tokenization;

namespace AmuroChar.Tests.Shared;

/// <summary>A tiny tokenizer, "micro" models and a small NLI dataset for the engine tests (all built in milliseconds).</summary>
internal static class MicroFixtures
{
    public static readonly string[] Specials = ["<|endoftext|>", "<|padding|>"];

    static readonly string[] Names = ["Tovel", "Oskel", "Varnia", "Brisk", "Malu", "Dorna"];
    static readonly string[] Places = ["Kelmora", "Zandia", "Plouth", "Trivel"];
    static readonly string[] Verbs = ["visited", "helped", "met", "called"];

    /// <summary>Sentences in NLI prompts with the label words, repeated so that every word becomes one token.</summary>
    public static IEnumerable<string> Sentences()
    {
        var rng = new AmuroChar.Randomness.Rng(5);
        for (int i = 0; i < 300; i++)
        {
            string a = rng.Pick(Names), b = rng.Pick(Names), p = rng.Pick(Places);
            yield return $"### Input_1: {a} {rng.Pick(Verbs)} {b} in {p}.\n ### Input_2: {b} lives in {rng.Pick(Places)}.\n ### Inference: {rng.Pick(Tasks.Tasks.Nli.Labels)}\n\n";
        }
    }

    static readonly Lazy<HfTokenizer> LazyTokenizer = new(() => BpeTrainer.Train(Sentences(), 512, Specials));

    /// <summary>eos 0, pad 1; every word of <see cref="Sentences"/> is a single token.</summary>
    public static HfTokenizer Tokenizer => LazyTokenizer.Value;

    /// <summary>The "micro" preset sized for <see cref="Tokenizer"/>, with room for a few demonstrations.</summary>
    public static OlmoConfig Config(int maxPositions = 256, double initializerRange = 0.02) =>
        OlmoConfig.Preset("micro").WithVocabularyFor(Tokenizer.VocabularySize, Tokenizer.EosId, Tokenizer.PadId)
            with { MaxPositionEmbeddings = maxPositions, InitializerRange = initializerRange };

    /// <summary>A random micro model. A larger <paramref name="initializerRange"/> gives decisive logits (no near-ties
    /// for an argmax to flip on), which tests comparing two computation paths of greedy choices need.</summary>
    public static OlmoForCausalLM Model(long seed = 3, int maxPositions = 256, double initializerRange = 0.02)
    {
        TorchRuntime.SetThreads(2);
        return OlmoForCausalLM.CreateRandom(Config(maxPositions, initializerRange), seed);
    }

    /// <summary>A hand-built NLI set in the tiny world's item shape.</summary>
    public static Dataset Nli(int count, string split = "validation", int seed = 11)
    {
        var rng = new AmuroChar.Randomness.Rng((ulong)seed);
        var items = Enumerable.Range(0, count).Select(i =>
        {
            string a = rng.Pick(Names), b = rng.Pick(Names);
            return new TaskExample($"nli-{split}-{i}", new Dictionary<string, string>
            {
                ["premise"] = $"{a} {rng.Pick(Verbs)} {b} in {rng.Pick(Places)}.",
                ["hypothesis"] = $"{b} lives in {rng.Pick(Places)}.",
            }, Tasks.Tasks.Nli.Labels[i % 3]);
        }).ToList();
        return new Dataset("micro_nli", split, Tasks.Tasks.Nli, "test", "hand-built", "test", items);
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("amurochar-test-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>An IProgress that records reports synchronously (Progress&lt;T&gt; posts them to the thread pool).</summary>
internal sealed class Recorder<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];
    public void Report(T value) { lock (Reports) Reports.Add(value); }
}
