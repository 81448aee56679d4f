using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Tokenization;

namespace AmuroChar.Bench;

/// <summary>
/// Encode throughput of OLMo-1B's real tokenizer on the strings of the Hugging Face parity fixture (real dataset
/// texts, rendered prompts, edge cases), one thread, one string at a time. tools/tokenizer-parity/generate.mjs
/// --bench measures Hugging Face tokenizers on the same strings for comparison.
/// </summary>
public static class TokenizerBenchmark
{
    /// <summary>Measures on the tokenizer.json and parity.jsonl in <paramref name="folder"/> (the caller knows where
    /// they are: the library reads no path of the repository's tests); null: skipped, saying so.</summary>
    public static JsonObject Run(string? folder, double seconds = 3)
    {
        if (folder is null || !File.Exists(Path.Combine(folder, "parity.jsonl")))
            return new JsonObject { ["skipped"] = $"no tokenizer parity fixture{(folder is null ? "" : $" in {folder}")} (it lives in an AmuroChar checkout)" };
        var tokenizer = HfTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var texts = File.ReadLines(Path.Combine(folder, "parity.jsonl")).Select(ReadText).ToList();
        long chars = texts.Sum(t => (long)t.Length);

        long tokensPerRound = texts.Sum(t => (long)tokenizer.Encode(t).Count);   // warm-up, as HF's is
        int rounds = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            foreach (string text in texts) tokenizer.Encode(text);
            rounds++;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        return new JsonObject
        {
            ["strings"] = texts.Count, ["chars"] = chars,
            ["chars_per_second"] = Math.Round(rounds * chars / elapsed),
            ["tokens_per_second"] = Math.Round(rounds * tokensPerRound / elapsed),
            ["note"] = "OLMo-1B tokenizer.json, one thread, one string at a time; compare: RAYON_NUM_THREADS=1 node tools/tokenizer-parity/generate.mjs --bench",
        };
    }

    static string ReadText(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return root.TryGetProperty("text", out var text)
            ? text.GetString()!
            : new string(root.GetProperty("utf16").EnumerateArray().Select(c => (char)c.GetInt32()).ToArray());
    }
}
