using System.Text;
using System.Text.Json.Nodes;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Tokenization;

public class HfTokenizerTests
{
    private static HfTokenizer Tokenizer => TokenizerFixtures.Small;

    [Theory]
    [InlineData("")]
    [InlineData("Amuro pilots the Gundam in 1979.")]
    [InlineData("   ")]
    [InlineData(" \t\n\r\n  \u00A0\u3000")]
    [InlineData("trailing space ")]
    [InlineData("naïve café — Straße 中文 日本語 한국어 😀👨‍👩‍👧 עברית العربية e\u0301")]
    [InlineData("it's they'll we've I'd ''''")]
    public void DecodeOfEncodeIsTheText(string text)
    {
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [Fact]
    public void EmptyTextHasNoIds()
    {
        Assert.Empty(Tokenizer.Encode(""));
        Assert.Equal("", Tokenizer.Decode([]));
    }

    [Fact]
    public void RandomUnicodeRoundTrips()
    {
        var random = new Random(3);
        for (int i = 0; i < 300; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 40);
            for (int j = 0; j < length; j++)
            {
                int codePoint;
                do codePoint = random.Next(0, 0x30000); while (codePoint is >= 0xD800 and <= 0xDFFF);
                text.Append(char.ConvertFromUtf32(codePoint));
            }
            Assert.Equal(text.ToString(), Tokenizer.Decode(Tokenizer.Encode(text.ToString())));
        }
    }

    [Fact]
    public void VariedTextRoundTrips()
    {
        string text = TokenizerFixtures.VariedText(50_000, seed: 5);
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [Fact]
    public void EncodeAddsNoBosOrEos()
    {
        IReadOnlyList<int> ids = Tokenizer.Encode("Char meets Lalah");
        Assert.DoesNotContain(0, ids);
        Assert.DoesNotContain(1, ids);
        Assert.Equal("Char meets Lalah", Tokenizer.Decode(ids));
    }

    [Fact]
    public void SpecialTokensEncodeToTheirIdsWhereverTheyAppear()
    {
        Assert.Equal(0, Tokenizer.EosId);
        Assert.Equal(1, Tokenizer.PadId);
        Assert.Equal([0], Tokenizer.Encode("<|endoftext|>"));
        Assert.Equal([1, 1, 0], Tokenizer.Encode("<|padding|><|padding|><|endoftext|>"));

        string text = "Kai fights<|endoftext|>Sayla trusts<|padding|> x<|endoftext|>";
        IReadOnlyList<int> ids = Tokenizer.Encode(text);
        Assert.Equal(2, ids.Count(id => id == 0));
        Assert.Single(ids, id => id == 1);
        Assert.Equal(0, ids[^1]);
        Assert.Equal(text, Tokenizer.Decode(ids));
        // Text around a special token is encoded exactly as it would be on its own.
        Assert.Equal([.. Tokenizer.Encode("Kai fights"), 0], Tokenizer.Encode("Kai fights<|endoftext|>"));
        // A partial special token is ordinary text.
        Assert.DoesNotContain(0, Tokenizer.Encode("<|endoftext|"));
    }

    [Fact]
    public void TokensAndIdsMapBothWays()
    {
        Assert.Equal(0, Tokenizer.TokenToId("<|endoftext|>"));
        Assert.Equal("<|padding|>", Tokenizer.IdToToken(1));
        // Bytes follow the special tokens in byte order, spelled in GPT-2's byte alphabet: space is 'Ġ'.
        Assert.Equal(2 + ' ', Tokenizer.TokenToId("Ġ"));
        Assert.Equal("Ċ", Tokenizer.IdToToken(2 + '\n'));
        Assert.Null(Tokenizer.TokenToId("no such token"));
        Assert.Null(Tokenizer.IdToToken(Tokenizer.VocabularySize));
        Assert.Null(Tokenizer.IdToToken(-1));
        // Ids are dense: the specials are in the vocab too, and nothing is skipped.
        Assert.Equal(Tokenizer.Vocabulary.Count, Tokenizer.VocabularySize);
        for (int id = 0; id < Tokenizer.VocabularySize; id++) Assert.Equal(id, Tokenizer.TokenToId(Tokenizer.IdToToken(id)!));
    }

    [Fact]
    public void EncodeIsSafeFromSeveralThreads()
    {
        string[] texts = Enumerable.Range(0, 48).Select(i => TokenizerFixtures.VariedText(2_000, seed: 100 + i)).ToArray();
        int[][] sequential = texts.Select(t => Tokenizer.Encode(t).ToArray()).ToArray();
        var fresh = new HfTokenizer(Tokenizer.Vocabulary, Tokenizer.Merges, Tokenizer.AddedTokens); // cold word cache
        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = fresh.Encode(texts[i]).ToArray());
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void DecodingAnUnknownIdIsAnError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([5, Tokenizer.VocabularySize]));
        Assert.Contains($"no token has id {Tokenizer.VocabularySize}", e.Message);
    }

    [Fact]
    public void SaveThenLoadGivesTheSameIdsAndTheSameFile()
    {
        using var dir = new TempDir();
        Tokenizer.Save(dir.File("a.json"));
        HfTokenizer loaded = HfTokenizer.Load(dir.File("a.json"));
        string text = TokenizerFixtures.VariedText(30_000, seed: 9);
        Assert.Equal(Tokenizer.Encode(text), loaded.Encode(text));
        Assert.Equal(Tokenizer.VocabularySize, loaded.VocabularySize);
        Assert.Equal(Tokenizer.EosId, loaded.EosId);
        Assert.Equal(Tokenizer.PadId, loaded.PadId);
        loaded.Save(dir.File("b.json"));
        Assert.Equal(File.ReadAllBytes(dir.File("a.json")), File.ReadAllBytes(dir.File("b.json")));
    }

    [Fact]
    public void AnNfcNormalizerComposesCharactersBeforeEncodingAndSurvivesSaving()
    {
        using var dir = new TempDir();
        Tokenizer.Save(dir.File("plain.json"));
        JsonNode json = JsonNode.Parse(File.ReadAllText(dir.File("plain.json")))!;
        json["normalizer"] = JsonNode.Parse("{\"type\":\"NFC\"}");
        File.WriteAllText(dir.File("nfc.json"), json.ToJsonString());
        var nfc = HfTokenizer.Load(dir.File("nfc.json"));

        string composed = "caf\u00e9", decomposed = "cafe\u0301";
        Assert.Equal(nfc.Encode(composed), nfc.Encode(decomposed));
        Assert.NotEqual(Tokenizer.Encode(composed), Tokenizer.Encode(decomposed));   // without NFC they differ
        nfc.Save(dir.File("again.json"));
        Assert.Equal("NFC", (string?)JsonNode.Parse(File.ReadAllText(dir.File("again.json")))!["normalizer"]!["type"]);
    }

    [Fact]
    public void SavedFileHasTheHuggingFaceLayout()
    {
        using var dir = new TempDir();
        Tokenizer.Save(dir.File("tokenizer.json"));
        JsonNode json = JsonNode.Parse(File.ReadAllText(dir.File("tokenizer.json")))!;
        Assert.Equal("1.0", (string?)json["version"]);
        Assert.Null(json["truncation"]);
        Assert.Null(json["padding"]);
        Assert.Null(json["normalizer"]);
        Assert.Equal("""{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}""", json["pre_tokenizer"]!.ToJsonString());
        Assert.Equal("ByteLevel", (string?)json["post_processor"]!["type"]);
        Assert.Equal("ByteLevel", (string?)json["decoder"]!["type"]);
        JsonNode model = json["model"]!;
        Assert.Equal("BPE", (string?)model["type"]);
        Assert.False((bool)model["byte_fallback"]!);
        Assert.Equal(Tokenizer.Vocabulary.Count, model["vocab"]!.AsObject().Count);
        Assert.Equal($"{Tokenizer.Merges[0].Left} {Tokenizer.Merges[0].Right}", (string?)model["merges"]![0]);
        JsonNode eos = json["added_tokens"]![0]!;
        Assert.Equal(0, (int)eos["id"]!);
        Assert.Equal("<|endoftext|>", (string?)eos["content"]);
        Assert.True((bool)eos["special"]!);
    }

    [Fact]
    public void MergesAsStringsOrAsPairsLoadTheSame()
    {
        using var dir = new TempDir();
        Tokenizer.Save(dir.File("strings.json"));
        JsonNode json = JsonNode.Parse(File.ReadAllText(dir.File("strings.json")))!;
        var asPairs = new JsonArray();
        foreach (JsonNode? merge in json["model"]!["merges"]!.AsArray())
        {
            string[] parts = ((string)merge!).Split(' ');
            asPairs.Add(new JsonArray(parts[0], parts[1]));
        }
        json["model"]!["merges"] = asPairs;
        File.WriteAllText(dir.File("pairs.json"), json.ToJsonString());

        HfTokenizer fromStrings = HfTokenizer.Load(dir.File("strings.json"));
        HfTokenizer fromPairs = HfTokenizer.Load(dir.File("pairs.json"));
        Assert.Equal(fromStrings.Merges, fromPairs.Merges);
        string text = TokenizerFixtures.VariedText(20_000, seed: 11);
        Assert.Equal(fromStrings.Encode(text), fromPairs.Encode(text));
    }

    [Fact]
    public void SplitPlusByteLevelSequenceEqualsPlainByteLevel()
    {
        using var dir = new TempDir();
        Tokenizer.Save(dir.File("plain.json"));
        JsonNode json = JsonNode.Parse(File.ReadAllText(dir.File("plain.json")))!;
        json["pre_tokenizer"] = JsonNode.Parse($$"""
            {"type": "Sequence", "pretokenizers": [
              {"type": "Split", "pattern": {"Regex": {{JsonValue.Create(PreTokenization.Gpt2Pattern).ToJsonString()}}}, "behavior": "Isolated", "invert": false},
              {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}
            """);
        File.WriteAllText(dir.File("sequence.json"), json.ToJsonString());

        HfTokenizer sequence = HfTokenizer.Load(dir.File("sequence.json"));
        string text = TokenizerFixtures.VariedText(20_000, seed: 13);
        Assert.Equal(Tokenizer.Encode(text), sequence.Encode(text));
    }

    [Fact]
    public void ByteLevelWithoutRegexEncodesEachSegmentAsOneWord()
    {
        var noRegex = new HfTokenizer(Tokenizer.Vocabulary, Tokenizer.Merges, Tokenizer.AddedTokens, new PreTokenization(false, []));
        // Without the regex, merges may cross what would be word boundaries, so there are at most as many ids.
        string text = "Amuro pilots the Gundam. Char chases a Zaku.";
        Assert.True(noRegex.Encode(text).Count <= Tokenizer.Encode(text).Count);
        Assert.Equal(text, noRegex.Decode(noRegex.Encode(text)));
    }

    [Fact]
    public void AddPrefixSpaceTreatsTheFirstWordLikeTheOthers()
    {
        var withPrefix = new HfTokenizer(Tokenizer.Vocabulary, Tokenizer.Merges, Tokenizer.AddedTokens, new PreTokenization(true, [PreTokenization.Gpt2Pattern]));
        Assert.Equal(Tokenizer.Encode(" Amuro pilots"), withPrefix.Encode("Amuro pilots"));
        Assert.Equal(Tokenizer.Encode(" Amuro pilots"), withPrefix.Encode(" Amuro pilots"));
        // As in HF, each segment after a special token gets its own prefix space, and decoding keeps the spaces.
        Assert.Equal(" Kai<|endoftext|> Bright", withPrefix.Decode(withPrefix.Encode("Kai<|endoftext|>Bright")));

        using var dir = new TempDir();
        withPrefix.Save(dir.File("prefix.json"));
        Assert.Equal(withPrefix.Encode("Amuro pilots"), HfTokenizer.Load(dir.File("prefix.json")).Encode("Amuro pilots"));
    }
}
