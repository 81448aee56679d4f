using System.Text;
using System.Text.Json;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Tokenization;

/// <summary>
/// OLMo-1B's real tokenizer.json (Fixtures/olmo-1b, from allenai/OLMo, Apache-2.0) encodes exactly as Hugging Face
/// tokenizers does. The expected ids were written by tools/tokenizer-parity/generate.mjs with the Rust library (npm
/// package tokenizers); this test reads them and needs no Node.
/// </summary>
public class OlmoTokenizerParityTests
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "olmo-1b", name);

    public static readonly Lazy<HfTokenizer> Olmo = new(() => HfTokenizer.Load(Fixture("tokenizer.json")));

    public sealed record ParityCase(string Category, string Text, int[] Ids);

    public static IReadOnlyList<ParityCase> Cases() => File.ReadLines(Fixture("parity.jsonl")).Select((line, i) =>
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        // Texts with lone surrogates are stored as UTF-16 code units (not every JSON reader accepts "\ud800").
        string text = root.TryGetProperty("text", out var t)
            ? t.GetString()!
            : new string(root.GetProperty("utf16").EnumerateArray().Select(c => (char)c.GetInt32()).ToArray());
        return new ParityCase(root.GetProperty("category").GetString()!, text, root.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray());
    }).ToList();

    [Fact]
    public void LoadsAlthoughTheVocabHasNoSymbolsForBytesUtf8NeverUses()
    {
        HfTokenizer olmo = Olmo.Value;
        Assert.Null(olmo.TokenToId("À"));   // 0xC0
        Assert.Null(olmo.TokenToId("ÿ"));   // 0xFF
        Assert.Equal(50280, olmo.VocabularySize);
        Assert.Equal(50009, olmo.Merges.Count);
        Assert.Equal(0, olmo.EosId);
        Assert.Equal(1, olmo.PadId);
        Assert.Equal(50279, olmo.TokenToId("|||IP_ADDRESS|||"));
    }

    [Fact]
    public void EncodesEveryFixtureStringAsHuggingFaceTokenizers()
    {
        var cases = Cases();
        Assert.True(cases.Count >= 2000, $"only {cases.Count} parity cases");
        string[] kinds = ["data", "prompt", "spaces", "whitespace", "digits", "contractions", "url", "code", "emoji", "script", "nfc", "added-token", "empty", "lone-surrogate", "random"];
        foreach (string kind in kinds) Assert.Contains(cases, c => c.Category.Split(':')[0] == kind);

        var failures = new List<string>();
        foreach (var c in cases)
        {
            int[] actual = Olmo.Value.Encode(c.Text).ToArray();
            if (!actual.SequenceEqual(c.Ids))
                failures.Add($"[{c.Category}] {JsonSerializer.Serialize(c.Text)}\n  HF:   {string.Join(" ", c.Ids)}\n  ours: {string.Join(" ", actual)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} strings differ from HF tokenizers:\n{string.Join("\n", failures.Take(10))}");
    }

    [Fact]
    public void DecodeGivesBackTheNormalizedText()
    {
        foreach (var c in Cases().Where(c => !c.Category.StartsWith("lone-surrogate")))
            Assert.Equal(c.Text.Normalize(NormalizationForm.FormC), Olmo.Value.Decode(Olmo.Value.Encode(c.Text)));
    }

    /// <summary>Issue 21: .NET's Normalize throws on U+FFFE; Hugging Face keeps it and encodes its bytes.</summary>
    [Fact]
    public void TheNoncharacterFffeIsKeptAndEncodedAsItsBytes()
    {
        foreach (string text in new[] { "\uFFFE", "a\uFFFEb", "e\u0301\uFFFEe\u0301", "\uFFFE\uFFFE x" })
            Assert.Equal(text.Replace("e\u0301", "\u00e9"), Olmo.Value.Decode(Olmo.Value.Encode(text)));
        // Composition still happens on each side of it.
        Assert.Equal(Olmo.Value.Encode("\u00e9"), Olmo.Value.Encode("e\u0301"));
    }

    [Fact]
    public void ALoneSurrogateEncodesAsTheReplacementCharacter()
    {
        // A [Fact], not a [Theory]: xunit's serialization of theory data would mangle the lone surrogates.
        (string Text, string Same)[] pairs = [("\ud800", "\ufffd"), ("a\udc00b", "a\ufffdb"), ("\ud83d\ude00\ud83d", "\ud83d\ude00\ufffd"), ("\udc00\ud800", "\ufffd\ufffd")];
        foreach (var (text, same) in pairs) Assert.Equal(Olmo.Value.Encode(same), Olmo.Value.Encode(text));
        Assert.Equal([21478], Olmo.Value.Encode("\ud800"));
    }
}
