using System.Text.Json.Nodes;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using AmuroChar.Tests.Tokenization;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>
/// The special-token rule (<see cref="SpecialTokens.Resolve"/>) on folders with OLMo-1B-hf's real layout
/// (Fixtures/olmo-1b-hf: config.json eos 50279, pad 1, no bos; tokenizer files say eos "&lt;|endoftext|&gt;").
/// </summary>
public class SpecialTokensTests
{
    static HfTokenizer Olmo => OlmoTokenizerParityTests.Olmo.Value;

    // OLMo's training data used the dolma-v1_5 variant of this tokenizer (allenai/OLMo#597), where <|endoftext|> is
    // 50279 and |||IP_ADDRESS||| is 0: the same file with those two added tokens swapped.
    static readonly Lazy<HfTokenizer> DolmaVariant = new(() =>
    {
        var json = JsonNode.Parse(File.ReadAllText(OlmoTokenizerParityTests.Fixture("tokenizer.json")))!;
        foreach (var token in json["added_tokens"]!.AsArray())
        {
            string content = token!["content"]!.GetValue<string>();
            if (content == "<|endoftext|>") token["id"] = 50279;
            else if (content == "|||IP_ADDRESS|||") token["id"] = 0;
        }
        var vocab = json["model"]!["vocab"]!.AsObject();
        Assert.True(vocab.Remove("<|endoftext|>"));
        vocab["|||IP_ADDRESS|||"] = 0;
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tokenizer.json"), json.ToJsonString());
        return HfTokenizer.Load(dir.File("tokenizer.json"));
    });

    /// <summary>A copy of the OLMo-1B-hf fixture folder, with <paramref name="change"/> applied to its files.</summary>
    static TempDir OlmoFolder(Action<TempDir>? change = null)
    {
        var dir = new TempDir();
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", "olmo-1b-hf"), "*.json"))
            File.Copy(file, dir.File(Path.GetFileName(file)));
        change?.Invoke(dir);
        return dir;
    }

    static void Edit(TempDir dir, string file, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(dir.File(file)))!.AsObject();
        edit(json);
        File.WriteAllText(dir.File(file), json.ToJsonString());
    }

    [Fact]
    public void OlmoConfigIdsWinOverTheTokenizerFilesAndTheDisagreementIsReported()
    {
        using var dir = OlmoFolder();
        var special = SpecialTokens.Resolve(dir.Path, Olmo);
        Assert.Equal(50279, special.Eos);
        Assert.Equal([50279], special.StopIds);
        Assert.Equal(1, special.Pad);
        Assert.Null(special.Bos);
        string disagreement = Assert.Single(special.Disagreements);
        Assert.Contains("eos: generation_config.json says eos_token_id 50279 (\"|||IP_ADDRESS|||\")", disagreement);
        Assert.Contains("tokenizer_config.json says eos_token \"<|endoftext|>\" (id 0)", disagreement);
    }

    [Fact]
    public void WithTheTokenizerOlmoWasTrainedWithAllFilesAgree()
    {
        using var dir = OlmoFolder();
        var special = SpecialTokens.Resolve(dir.Path, DolmaVariant.Value);
        Assert.Equal((50279, 1), (special.Eos, special.Pad));
        Assert.Empty(special.Disagreements);
    }

    [Fact]
    public void ConfigJsonAloneGivesTheSameIds()
    {
        using var dir = OlmoFolder(d => File.Delete(d.File("generation_config.json")));
        var special = SpecialTokens.Resolve(dir.Path, Olmo);
        Assert.Equal((50279, 1), (special.Eos, special.Pad));
        Assert.Contains("config.json says eos_token_id 50279", Assert.Single(special.Disagreements));
    }

    [Fact]
    public void GenerationConfigWinsOverConfigJsonAndMayListSeveralStopIds()
    {
        using var dir = OlmoFolder(d => Edit(d, "generation_config.json", j => j["eos_token_id"] = new JsonArray(50279, 0)));
        var special = SpecialTokens.Resolve(dir.Path, Olmo);
        Assert.Equal(50279, special.Eos);
        Assert.Equal([50279, 0], special.StopIds);
        // [50279, 0] contains the tokenizer's <|endoftext|>, so only generation_config vs config.json disagree.
        Assert.Contains("generation_config.json says eos_token_id [50279, 0]", Assert.Single(special.Disagreements));
    }

    [Fact]
    public void WithoutIdsTheTokenizerFilesNameTheTokens()
    {
        using var dir = OlmoFolder(d =>
        {
            File.Delete(d.File("generation_config.json"));
            Edit(d, "config.json", j => { j.Remove("eos_token_id"); j.Remove("pad_token_id"); });
        });
        var special = SpecialTokens.Resolve(dir.Path, Olmo);
        Assert.Equal((0, 1), (special.Eos, special.Pad));
        Assert.Empty(special.Disagreements);

        File.Delete(dir.File("tokenizer_config.json"));   // special_tokens_map.json's {"content": …} form
        var fromMap = SpecialTokens.Resolve(dir.Path, Olmo);
        Assert.Equal((0, 1), (fromMap.Eos, fromMap.Pad));
    }

    [Fact]
    public void TheTinyScaleLayoutKeepsEndOfTextZeroAndPaddingOne()
    {
        // What a tiny-world checkpoint holds: config.json with eos 0 / pad 1 and a tokenizer.json, nothing else.
        using var dir = new TempDir();
        HfTokenizer tokenizer = MicroFixtures.Tokenizer;
        OlmoConfig.Preset("tiny").WithVocabularyFor(tokenizer.VocabularySize, 0, 1).Save(dir.File("config.json"));
        var special = SpecialTokens.Resolve(dir.Path, tokenizer);
        var fromTokenizer = SpecialTokens.FromTokenizer(tokenizer);   // what the tiny scale used before the rule
        Assert.Equal((fromTokenizer.Eos, fromTokenizer.Pad, fromTokenizer.Bos), (special.Eos, special.Pad, special.Bos));
        Assert.Equal(fromTokenizer.StopIds, special.StopIds);
        Assert.Equal((0, 1), (special.Eos, special.Pad));
        Assert.Empty(special.Disagreements);
        using var bare = new TempDir();   // no config at all: tokenizer.json's own <|endoftext|> and <|padding|>
        var fallback = SpecialTokens.Resolve(bare.Path, tokenizer);
        Assert.Equal((0, 1), (fallback.Eos, fallback.Pad));
    }

    [Fact]
    public void NoPadAnywherePadsWithEos()
    {
        using var dir = OlmoFolder(d =>
        {
            File.Delete(d.File("generation_config.json"));
            File.Delete(d.File("special_tokens_map.json"));
            Edit(d, "config.json", j => j.Remove("pad_token_id"));
            Edit(d, "tokenizer_config.json", j => j.Remove("pad_token"));
        });
        var tokenizer = BpeTrainer.Train(TokenizerFixtures.SmallCorpus(200), 300, ["<|endoftext|>"]);
        Edit(dir, "config.json", j => j["eos_token_id"] = 0);
        var special = SpecialTokens.Resolve(dir.Path, tokenizer);
        Assert.Equal((0, 0), (special.Eos, special.Pad));
    }

    public static TheoryData<string, string, string, string[]> BadFolders => new()
    {
        { "eos id outside the tokenizer", "config.json", "{\"eos_token_id\": 60000}", ["config.json: eos_token_id 60000 is not a token of the tokenizer (ids 0 … 50279)"] },
        { "eos id not a number", "generation_config.json", "{\"eos_token_id\": \"50279\"}", ["generation_config.json: eos_token_id is \"50279\", not a token id"] },
        { "unknown eos token", "tokenizer_config.json", "{\"eos_token\": \"</s>\"}", ["tokenizer_config.json: eos_token \"</s>\" is not a token of the tokenizer"] },
        { "malformed json", "generation_config.json", "{\"eos_token_id\": ", ["generation_config.json: not valid JSON"] },
        { "not an object", "special_tokens_map.json", "[1]", ["special_tokens_map.json: the top level is a JSON array"] },
        { "bos prepended", "tokenizer_config.json", "{\"add_bos_token\": true}", ["tokenizer_config.json: add_bos_token true is not supported"] },
    };

    [Theory]
    [MemberData(nameof(BadFolders))]
    public void ABadFileIsRefusedNamingTheFileAndField(string name, string file, string content, string[] expected)
    {
        Assert.NotEmpty(name);
        using var dir = OlmoFolder(d => File.WriteAllText(d.File(file), content));
        var e = Assert.Throws<InvalidDataException>(() => SpecialTokens.Resolve(dir.Path, Olmo));
        Assert.Contains(dir.File(file), e.Message);
        foreach (string fragment in expected) Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void NoEosAnywhereIsAnError()
    {
        using var dir = new TempDir();
        var tokenizer = BpeTrainer.Train(TokenizerFixtures.SmallCorpus(200), 300, ["<|padding|>"]);
        var e = Assert.Throws<InvalidDataException>(() => SpecialTokens.Resolve(dir.Path, tokenizer));
        Assert.Contains("no EOS token", e.Message);
        Assert.StartsWith(dir.Path, e.Message);
    }
}
