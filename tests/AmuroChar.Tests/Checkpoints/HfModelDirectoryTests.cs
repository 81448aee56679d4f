using System.Text.Json;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using TorchSharp;
using Xunit;
using static AmuroChar.Tests.Checkpoints.CheckpointTestFiles;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

public class HfModelDirectoryTests
{
    static readonly OlmoConfig Micro = OlmoConfig.Preset("micro"); // untied, grouped KV heads
    static readonly OlmoConfig MicroTied = Micro with { TieWordEmbeddings = true };

    /// <summary>A state dict of random tensors with exactly the names and shapes <paramref name="config"/> implies.</summary>
    static Dictionary<string, Tensor> RandomStateDict(OlmoConfig config, ScalarType dtype = ScalarType.Float32, int seed = 1) =>
        OlmoParameterShapes.Expected(config).Select((pair, i) => (pair.Key, Random(pair.Value, dtype, seed * 1000 + i)))
            .ToDictionary(item => item.Key, item => item.Item2);

    static Dictionary<string, Tensor> ZeroParameters(OlmoConfig config) =>
        OlmoParameterShapes.Expected(config).ToDictionary(pair => pair.Key, pair => torch.zeros(pair.Value));

    static IEnumerable<(string, Tensor)> Pairs(IReadOnlyDictionary<string, Tensor> tensors) => tensors.Select(p => (p.Key, p.Value));

    static void AssertSameBytes(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected) Assert.Equal(RawBytes(tensor), RawBytes(actual[name]));
    }

    [Fact]
    public void Save_ThenLoadInto_RoundTripsBitwise_InTransformersLayout()
    {
        using var dir = new TempDirectory();
        var saved = RandomStateDict(Micro);
        HfModelDirectory.Save(dir.Path, Micro, Pairs(saved));

        Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        var header = SafeTensorsFile.ReadHeader(dir.File("model.safetensors"));
        Assert.Equal("pt", header.Metadata["format"]);
        Assert.Equal(Micro.ToJson(), HfModelDirectory.LoadConfig(dir.Path).ToJson());

        var parameters = ZeroParameters(Micro);
        HfModelDirectory.LoadInto(dir.Path, parameters, Micro);
        AssertSameBytes(saved, parameters);
        AssertSameBytes(saved, HfModelDirectory.LoadStateDict(dir.Path));
    }

    [Fact]
    public void Save_Sharded_WritesIndexAndShards_AndLoadsBack()
    {
        using var dir = new TempDirectory();
        var saved = RandomStateDict(Micro);
        HfModelDirectory.Save(dir.Path, Micro, Pairs(saved), maxShardBytes: 20_000);

        string[] shards = Directory.GetFiles(dir.Path, "model-*.safetensors").Select(Path.GetFileName).Order().ToArray()!;
        Assert.True(shards.Length > 1);
        Assert.Equal(Enumerable.Range(1, shards.Length).Select(i => $"model-{i:D5}-of-{shards.Length:D5}.safetensors"), shards);
        Assert.False(File.Exists(dir.File("model.safetensors")));

        using var index = JsonDocument.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")));
        var weightMap = index.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(saved.Keys.Order(), weightMap.Keys.Order());
        Assert.Equal(saved.Values.Sum(t => t.NumberOfElements * 4), index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        foreach (var (name, shard) in weightMap) Assert.True(SafeTensorsFile.ReadHeader(dir.File(shard!)).Contains(name));

        var parameters = ZeroParameters(Micro);
        HfModelDirectory.LoadInto(dir.Path, parameters, Micro);
        AssertSameBytes(saved, parameters);
        AssertSameBytes(saved, HfModelDirectory.LoadStateDict(dir.Path));
    }

    [Fact]
    public void Save_RemovesWeightFilesOfAnEarlierLayout()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), "{}");
        HfModelDirectory.Save(dir.Path, Micro, Pairs(RandomStateDict(Micro)));
        HfModelDirectory.Save(dir.Path, Micro, Pairs(RandomStateDict(Micro)), maxShardBytes: 20_000);
        Assert.False(File.Exists(dir.File("model.safetensors")));

        var final = RandomStateDict(Micro, seed: 2);
        HfModelDirectory.Save(dir.Path, Micro, Pairs(final));
        Assert.Equal(["config.json", "model.safetensors", "tokenizer.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        AssertSameBytes(final, HfModelDirectory.LoadStateDict(dir.Path));
    }

    [Fact]
    public void TiedModel_SavesWithoutLmHead_AndIgnoresOneOnLoad()
    {
        using var dir = new TempDirectory();
        var saved = RandomStateDict(MicroTied);
        HfModelDirectory.Save(dir.Path, MicroTied, [.. Pairs(saved), ("lm_head.weight", saved["model.embed_tokens.weight"])]);
        Assert.False(SafeTensorsFile.ReadHeader(dir.File("model.safetensors")).Contains("lm_head.weight"));

        // Some exports store the tied head anyway.
        SafeTensorsFile.Save(dir.File("model.safetensors"), [.. Pairs(saved), ("lm_head.weight", saved["model.embed_tokens.weight"])],
            new Dictionary<string, string> { ["format"] = "pt" });
        var parameters = ZeroParameters(MicroTied);
        HfModelDirectory.LoadInto(dir.Path, parameters, MicroTied);
        AssertSameBytes(saved, parameters);
    }

    [Fact]
    public void LoadInto_ConvertsBFloat16CheckpointsToFloat32Parameters()
    {
        using var dir = new TempDirectory();
        var saved = RandomStateDict(Micro, ScalarType.BFloat16);
        HfModelDirectory.Save(dir.Path, Micro, Pairs(saved));
        Assert.Equal("bfloat16", HfModelDirectory.LoadConfig(dir.Path).TorchDtype);

        var parameters = ZeroParameters(Micro);
        HfModelDirectory.LoadInto(dir.Path, parameters, Micro);
        foreach (var (name, tensor) in saved)
            Assert.Equal(RawBytes(tensor.to(ScalarType.Float32)), RawBytes(parameters[name]));
    }

    [Fact]
    public void Model_SavedAndReloaded_GivesIdenticalLogits()
    {
        using var dir = new TempDirectory();
        using var original = OlmoForCausalLM.CreateRandom(Micro, seed: 7);
        Assert.Equal(OlmoParameterShapes.Expected(Micro).Keys.Order(), original.StateDict().Keys.Order());
        HfModelDirectory.Save(dir.Path, Micro, Pairs(original.StateDict()));

        using var reloaded = new OlmoForCausalLM(HfModelDirectory.LoadConfig(dir.Path));
        HfModelDirectory.LoadInto(dir.Path, reloaded.StateDict(), reloaded.Config);

        using var ids = torch.tensor(new long[] { 2, 5, 9, 3, 7, 1 }).reshape(1, 6);
        using var _ = torch.no_grad();
        Assert.Equal(RawBytes(original.Forward(ids)), RawBytes(reloaded.Forward(ids)));
    }

    /// <summary>An allenai/OLMo-1B-hf revision folder as downloaded (sizes shrunk): extra files and config keys.</summary>
    [Fact]
    public void RealRevisionDirectory_OpensUnchanged()
    {
        using var root = new TempDirectory();
        string dir = Path.Combine(root.Path, "step20000-tokens84B");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), """
            {
              "architectures": ["OlmoForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "clip_qkv": null,
              "eos_token_id": 50,
              "hidden_act": "silu",
              "hidden_size": 32,
              "initializer_range": 0.02,
              "intermediate_size": 64,
              "max_position_embeddings": 64,
              "model_type": "olmo",
              "num_attention_heads": 4,
              "num_hidden_layers": 2,
              "num_key_value_heads": 4,
              "pad_token_id": 1,
              "pretraining_tp": 1,
              "rope_scaling": null,
              "rope_theta": 10000.0,
              "tie_word_embeddings": true,
              "torch_dtype": "float32",
              "transformers_version": "4.40.0.dev0",
              "use_cache": true,
              "vocab_size": 64
            }
            """);
        foreach (string extra in new[] { "tokenizer.json", "generation_config.json", "special_tokens_map.json", "tokenizer_config.json" })
            File.WriteAllText(Path.Combine(dir, extra), "{}");
        var config = HfModelDirectory.LoadConfig(dir);
        var saved = RandomStateDict(config);
        SafeTensorsFile.Save(Path.Combine(dir, "model.safetensors"), Pairs(saved), new Dictionary<string, string> { ["format"] = "pt" });

        var parameters = ZeroParameters(config);
        HfModelDirectory.LoadInto(dir, parameters, config);
        AssertSameBytes(saved, parameters);
        Assert.Equal((20000L, (long?)84_000_000_000), AmuroChar.Hub.RevisionName.Parse(Path.GetFileName(dir)));
    }

    [Fact]
    public void Save_RejectsAStateDictThatDisagreesWithTheConfig()
    {
        using var dir = new TempDirectory();
        var stateDict = RandomStateDict(Micro);
        stateDict.Remove("model.layers.1.mlp.up_proj.weight");
        var error = Assert.Throws<ArgumentException>(() => HfModelDirectory.Save(dir.Path, Micro, Pairs(stateDict)));
        Assert.Contains("missing model.layers.1.mlp.up_proj.weight", error.Message);
        Assert.False(File.Exists(dir.File("model.safetensors")));
    }

    [Fact]
    public void OlmoParameterShapes_ListsTheMicroPresetsParameters()
    {
        var shapes = OlmoParameterShapes.Expected(Micro);
        Assert.Equal(1 + 2 * 7 + 1, shapes.Count);
        Assert.Equal([128L, 32], shapes["model.embed_tokens.weight"]);
        Assert.Equal([32L, 32], shapes["model.layers.0.self_attn.q_proj.weight"]);
        Assert.Equal([16L, 32], shapes["model.layers.1.self_attn.k_proj.weight"]); // 2 KV heads × head dim 8
        Assert.Equal([16L, 32], shapes["model.layers.1.self_attn.v_proj.weight"]);
        Assert.Equal([32L, 32], shapes["model.layers.0.self_attn.o_proj.weight"]);
        Assert.Equal([64L, 32], shapes["model.layers.0.mlp.gate_proj.weight"]);
        Assert.Equal([64L, 32], shapes["model.layers.0.mlp.up_proj.weight"]);
        Assert.Equal([32L, 64], shapes["model.layers.0.mlp.down_proj.weight"]);
        Assert.Equal([128L, 32], shapes["lm_head.weight"]);
        Assert.False(OlmoParameterShapes.Expected(MicroTied).ContainsKey("lm_head.weight"));
    }
}
