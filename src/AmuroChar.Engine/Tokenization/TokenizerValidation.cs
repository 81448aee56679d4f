using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AmuroChar.Tokenization;

/// <summary>
/// Consistency checks on a tokenizer's parts. Each failure is an <see cref="InvalidDataException"/> that starts with
/// the source (the tokenizer.json path) and names the offending token, so a broken file is easy to fix.
/// </summary>
internal static class TokenizerValidation
{
    // Ids size the tokenizer's lookup arrays (and a model's embedding); real vocabularies stay far below this.
    private const int MaxId = 1 << 24;

    public static InvalidDataException Error(string source, string problem) => new($"{source}: {problem}");

    public static void CheckVocab(Dictionary<string, int> vocab, string source)
    {
        if (vocab.Count == 0) throw Error(source, "model.vocab is empty");
        var tokenOfId = new Dictionary<int, string>(vocab.Count);
        foreach (var (token, id) in vocab)
        {
            if (id is < 0 or > MaxId) throw Error(source, $"model.vocab gives {Show(token)} the id {id}, outside 0 … {MaxId}");
            if (!tokenOfId.TryAdd(id, token))
                throw Error(source, $"model.vocab gives id {id} to both {Show(tokenOfId[id])} and {Show(token)}");
        }
        // Byte-level BPE starts every word from single-byte symbols; a missing one would make some text unencodable.
        // Only bytes that UTF-8 can produce are needed: GPT-NeoX (and so OLMo) has no symbols for the 13 that never
        // occur (0xC0, 0xC1, 0xF5–0xFF), and Encode can't produce them (a lone surrogate becomes U+FFFD first).
        var missing = Enumerable.Range(0, 256)
            .Where(b => ByteLevelAlphabet.IsUtf8Byte((byte)b) && !vocab.ContainsKey(ByteLevelAlphabet.ToChar((byte)b).ToString()))
            .ToList();
        if (missing.Count > 0)
        {
            string list = string.Join(", ", missing.Take(12).Select(b => $"{Show(ByteLevelAlphabet.ToChar((byte)b).ToString())} (0x{b:X2})"));
            throw Error(source, $"model.vocab lacks the byte-level symbol{(missing.Count == 1 ? "" : "s")} for {missing.Count} byte" +
                                $"{(missing.Count == 1 ? "" : "s")} that UTF-8 text can contain: {list}{(missing.Count > 12 ? ", …" : "")}; " +
                                "a byte-level BPE vocab needs every such byte (all but 0xC0, 0xC1, 0xF5–0xFF)");
        }
    }

    public static void CheckMerges((string Left, string Right)[] merges, Dictionary<string, int> vocab, string source)
    {
        for (int i = 0; i < merges.Length; i++)
        {
            var (left, right) = merges[i];
            string where = $"model.merges[{i}] ({Show(left)}, {Show(right)})";
            if (left.Length == 0 || right.Length == 0) throw Error(source, $"{where} has an empty part");
            // Microsoft.ML.Tokenizers takes merges as "left right" strings. Byte-level tokens never contain a space
            // (space is spelled 'Ġ'), so a space means the merges aren't byte-level.
            if (left.Contains(' ') || right.Contains(' ')) throw Error(source, $"{where} contains a space, which a byte-level token cannot");
            if (!vocab.ContainsKey(left)) throw Error(source, $"{where} refers to {Show(left)}, which is not in model.vocab");
            if (!vocab.ContainsKey(right)) throw Error(source, $"{where} refers to {Show(right)}, which is not in model.vocab");
            if (!vocab.ContainsKey(left + right)) throw Error(source, $"{where} produces {Show(left + right)}, which is not in model.vocab");
        }
    }

    public static void CheckAddedTokens(AddedToken[] addedTokens, Dictionary<string, int> vocab, string source)
    {
        var vocabTokenOfId = vocab.ToDictionary(kv => kv.Value, kv => kv.Key);
        var seenIds = new HashSet<int>();
        var seenContents = new HashSet<string>(StringComparer.Ordinal);
        foreach (AddedToken added in addedTokens)
        {
            string what = $"added token {Show(added.Content)} (id {added.Id})";
            if (added.Content.Length == 0) throw Error(source, $"an added token (id {added.Id}) has empty content");
            if (added.Id is < 0 or > MaxId) throw Error(source, $"{what} has an id outside 0 … {MaxId}");
            if (!seenIds.Add(added.Id)) throw Error(source, $"{what}: another added token has the same id");
            if (!seenContents.Add(added.Content)) throw Error(source, $"{what}: another added token has the same content");
            if (vocabTokenOfId.TryGetValue(added.Id, out string? vocabToken) && vocabToken != added.Content)
                throw Error(source, $"{what}: model.vocab gives that id to {Show(vocabToken)}");
        }
    }

    public static SplitPreTokenizer CreatePreTokenizer(PreTokenization preTokenization, string source)
    {
        try
        {
            return new SplitPreTokenizer(preTokenization.SplitPatterns);
        }
        catch (RegexParseException e)
        {
            throw new InvalidDataException($"{source}: a pre-tokenizer Split pattern is not a regex .NET understands: {e.Message}", e);
        }
    }

    /// <summary>A token quoted for a message, cut short if long.</summary>
    public static string Show(string token) =>
        token.Length <= 40 ? $"\"{token}\"" : $"\"{token[..40]}…\" ({token.Length} chars)";
}
