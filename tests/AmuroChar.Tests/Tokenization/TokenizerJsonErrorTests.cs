using System.Text.Json.Nodes;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Tokenization;

/// <summary>Each bad tokenizer.json fails with an exception that names the file and what is wrong with it.</summary>
public class TokenizerJsonErrorTests
{
    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("absent.json");
        var e = Assert.Throws<FileNotFoundException>(() => HfTokenizer.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Theory]
    [InlineData("{ \"model\": ", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1, 2]", "top level is a JSON array")]
    public void MalformedJson(string content, string expected)
    {
        AssertInvalid(content, expected);
    }

    public static TheoryData<string, string, string[]> BrokenFiles => new()
    {
        // name, JSON edit (path=value pairs applied to a valid file), expected message fragments
        { "missing model", "model=#remove", ["has no \"model\" object"] },
        { "WordPiece", "model.type=\"WordPiece\"", ["unsupported model type", "WordPiece"] },
        { "Unigram", "model.type=\"Unigram\"", ["unsupported model type", "Unigram"] },
        { "vocab array", "model.vocab=[1,2,3]", ["model.vocab is a JSON array, not an object"] },
        { "vocab id text", "model.vocab.Ġ=\"x\"", ["model.vocab[\"Ġ\"]", "not an integer id"] },
        { "merge unknown left", "model.merges=[\"zzqq Ġ\"]", ["model.merges[0]", "\"zzqq\"", "not in model.vocab"] },
        { "merge unknown pair result", "model.merges=[[\"q\",\"z\"]]", ["model.merges[0]", "produces \"qz\"", "not in model.vocab"] },
        { "merge three parts", "model.merges=[\"a b c\"]", ["model.merges[0]", "expected \"left right\""] },
        { "merges missing", "model.merges=#remove", ["model.merges is missing"] },
        { "missing byte", "model.vocab.Ġ=#remove", ["lacks the byte-level symbol for 1 byte that UTF-8 text can contain: \"Ġ\" (0x20)"] },
        { "duplicate id", "model.vocab.Ġ=3", ["gives id 3 to both"] },
        { "normalizer", "normalizer={\"type\":\"Lowercase\"}", ["unsupported normalizer", "Lowercase"] },
        { "pre_tokenizer", "pre_tokenizer={\"type\":\"Whitespace\"}", ["unsupported pre_tokenizer", "Whitespace"] },
        { "no pre_tokenizer", "pre_tokenizer=null", ["unsupported pre_tokenizer null"] },
        { "split behavior", "pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"a\"},\"behavior\":\"Removed\",\"invert\":false},{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":false}]}", ["Split behavior \"Removed\""] },
        { "bad regex", "pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(\"},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":false}]}", ["Split pattern is not a regex"] },
        { "post_processor", "post_processor={\"type\":\"TemplateProcessing\"}", ["unsupported post_processor", "TemplateProcessing"] },
        { "decoder", "decoder={\"type\":\"WordPiece\"}", ["unsupported decoder", "WordPiece"] },
        { "no decoder", "decoder=#remove", ["unsupported decoder null"] },
        { "dropout", "model.dropout=0.1", ["unsupported model.dropout 0.1"] },
        { "byte fallback", "model.byte_fallback=true", ["unsupported model.byte_fallback"] },
        { "suffix", "model.end_of_word_suffix=\"</w>\"", ["unsupported model.end_of_word_suffix"] },
        { "truncation", "truncation={\"max_length\":5}", ["unsupported \"truncation\""] },
        { "lstrip", "added_tokens.0.lstrip=true", ["unsupported added_tokens[0].lstrip"] },
        { "added id clash", "added_tokens.1.id=5", ["added token \"<|padding|>\" (id 5)", "model.vocab gives that id to"] },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFileIsRefusedWithAClearMessage(string name, string edit, string[] expected)
    {
        Assert.NotEmpty(name);
        JsonNode json = JsonNode.Parse(ValidJson())!;
        ApplyEdit(json, edit);
        AssertInvalid(json.ToJsonString(), expected);
    }

    [Fact]
    public void TheUneditedFileLoads()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ok.json"), ValidJson());
        Assert.Equal(TokenizerFixtures.Small.VocabularySize, HfTokenizer.Load(dir.File("ok.json")).VocabularySize);
    }

    [Fact]
    public void AVocabWithoutTheBytesUtf8NeverUsesLoadsAndEncodesEverything()
    {
        // GPT-NeoX / OLMo-1B have no symbols for 0xC0, 0xC1 and 0xF5–0xFF.
        JsonNode json = JsonNode.Parse(ValidJson())!;
        foreach (int b in new[] { 0xC0, 0xC1 }.Concat(Enumerable.Range(0xF5, 11)))
            Assert.True(json["model"]!["vocab"]!.AsObject().Remove(ByteLevelAlphabet.ToChar((byte)b).ToString()));
        using var dir = new TempDir();
        File.WriteAllText(dir.File("t.json"), json.ToJsonString());
        HfTokenizer tokenizer = HfTokenizer.Load(dir.File("t.json"));
        string text = "ÀÁõÿ \U0010FFFF 😀 中文 <|endoftext|>";
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void EveryMissingByteThatUtf8UsesIsNamed()
    {
        JsonNode json = JsonNode.Parse(ValidJson())!;
        foreach (string symbol in new[] { "Ġ", "a", "Ã" }) json["model"]!["vocab"]!.AsObject().Remove(symbol);
        AssertInvalid(json.ToJsonString(), "lacks the byte-level symbols for 3 bytes that UTF-8 text can contain: \"Ġ\" (0x20), \"a\" (0x61), \"Ã\" (0xC3)");
    }

    private static string ValidJson()
    {
        using var dir = new TempDir();
        TokenizerFixtures.Small.Save(dir.File("t.json"));
        return File.ReadAllText(dir.File("t.json"));
    }

    /// <summary>Applies "a.b.c=json" (or "=#remove") to <paramref name="json"/>; numeric segments index arrays.</summary>
    private static void ApplyEdit(JsonNode json, string edit)
    {
        int equals = edit.IndexOf('=');
        string[] path = edit[..equals].Split('.');
        string value = edit[(equals + 1)..];
        JsonNode parent = json;
        foreach (string segment in path[..^1])
            parent = int.TryParse(segment, out int index) ? parent[index]! : parent[segment]!;
        string last = path[^1];
        if (value == "#remove") parent.AsObject().Remove(last);
        else if (int.TryParse(last, out int index)) parent[index] = JsonNode.Parse(value);
        else parent[last] = JsonNode.Parse(value);
    }

    private static void AssertInvalid(string content, params string[] expected)
    {
        using var dir = new TempDir();
        string path = dir.File("tokenizer.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(path));
        Assert.StartsWith(path, e.Message);
        foreach (string fragment in expected) Assert.Contains(fragment, e.Message);
    }
}
