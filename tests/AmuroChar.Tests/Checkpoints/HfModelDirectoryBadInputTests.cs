using AmuroChar.Checkpoints;
using AmuroChar.Model;
using TorchSharp;
using Xunit;
using static AmuroChar.Tests.Checkpoints.CheckpointTestFiles;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>One test per broken model directory: the error names the file (or directory) and the problem, and a
/// failed load leaves the parameters as they were.</summary>
public class HfModelDirectoryBadInputTests : IDisposable
{
    static readonly OlmoConfig Micro = OlmoConfig.Preset("micro");
    static readonly Dictionary<string, string> PtFormat = new() { ["format"] = "pt" };

    readonly TempDirectory _dir = new();
    readonly Dictionary<string, Tensor> _parameters =
        OlmoParameterShapes.Expected(Micro).ToDictionary(pair => pair.Key, pair => torch.zeros(pair.Value));

    public void Dispose() => _dir.Dispose();

    Dictionary<string, Tensor> StateDict() =>
        OlmoParameterShapes.Expected(Micro).Select((pair, i) => (pair.Key, Random(pair.Value, ScalarType.Float32, i)))
            .ToDictionary(item => item.Key, item => item.Item2);

    void SaveGood(long? maxShardBytes = null) =>
        HfModelDirectory.Save(_dir.Path, Micro, StateDict().Select(p => (p.Key, p.Value)), maxShardBytes);

    /// <summary>Replaces model.safetensors with the given tensors (config.json stays).</summary>
    void WriteWeights(Dictionary<string, Tensor> tensors) =>
        SafeTensorsFile.Save(_dir.File("model.safetensors"), tensors.Select(p => (p.Key, p.Value)), PtFormat);

    TException AssertLoadFails<TException>(string fileName, string phrase) where TException : Exception
    {
        var error = Assert.Throws<TException>(() => HfModelDirectory.LoadInto(_dir.Path, _parameters, Micro));
        Assert.Contains(fileName, error.Message);
        Assert.Contains(phrase, error.Message);
        Assert.All(_parameters.Values, p => Assert.Equal(0f, p.abs().sum().item<float>()));
        return error;
    }

    /// <summary>Issue 21: a config.json with absurd sizes was built before the weights were read (6 TB asked for,
    /// std::bad_alloc, exit 134). Now the config is checked against the weights' headers and the machine's memory
    /// first, with an error naming the field.</summary>
    [Theory]
    [InlineData("hidden_size", 1_000_000_000L, "hidden_size 1000000000")]
    [InlineData("vocab_size", 1_000_000_000L, "vocab_size 1000000000")]
    [InlineData("num_hidden_layers", 1_000_000L, "num_hidden_layers is 1000000, but the weights")]
    [InlineData("max_position_embeddings", 1_000_000_000L, "max_position_embeddings 1000000000")]
    public void Absurd_config_sizes_are_refused_before_any_allocation(string field, long value, string phrase)
    {
        SaveGood();
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_dir.File("config.json")))!.AsObject();
        config[field] = value;
        File.WriteAllText(_dir.File("config.json"), config.ToJsonString());
        var error = Record.Exception(() => ModelLoader.Load(_dir.Path));
        Assert.True(error is InvalidDataException or ArgumentException, $"{error?.GetType().Name}: {error?.Message}");
        Assert.Contains("config.json", error!.Message);
        if (error is InvalidDataException) Assert.Contains(phrase, error.Message);
    }

    [Fact]
    public void MissingTensor()
    {
        SaveGood();
        var tensors = StateDict();
        tensors.Remove("model.layers.0.mlp.down_proj.weight");
        WriteWeights(tensors);
        AssertLoadFails<InvalidDataException>("model.safetensors", "missing tensors that config.json implies: model.layers.0.mlp.down_proj.weight");
    }

    [Fact]
    public void UnexpectedTensor()
    {
        SaveGood();
        var tensors = StateDict();
        tensors["model.norm.weight"] = torch.ones(32);
        WriteWeights(tensors);
        AssertLoadFails<InvalidDataException>("model.safetensors", "unexpected tensors, not parameters of the model config.json describes: model.norm.weight");
    }

    [Fact]
    public void ShapeDisagreesWithConfig()
    {
        SaveGood();
        var tensors = StateDict();
        tensors["model.layers.1.self_attn.k_proj.weight"] = torch.ones(32, 32); // as if 4 KV heads, config says 2
        WriteWeights(tensors);
        AssertLoadFails<InvalidDataException>("model.safetensors",
            "tensor 'model.layers.1.self_attn.k_proj.weight' has shape [32, 32], but config.json expects [16, 32]");
    }

    [Fact]
    public void ShapeDisagreementInTheLastShard_LeavesEarlierShardsUnloaded()
    {
        SaveGood(maxShardBytes: 20_000);
        string[] shards = Directory.GetFiles(_dir.Path, "model-*.safetensors").Order().ToArray();
        var last = SafeTensorsFile.Load(shards[^1]);
        string victim = last.Keys.First();
        last[victim] = torch.ones(3);
        SafeTensorsFile.Save(shards[^1], last.Select(p => (p.Key, p.Value)), PtFormat);
        AssertLoadFails<InvalidDataException>(Path.GetFileName(shards[^1]), $"tensor '{victim}' has shape [3]");
    }

    [Fact]
    public void MalformedConfigJson()
    {
        SaveGood();
        File.WriteAllText(_dir.File("config.json"), "{\"model_type\": \"olmo\", ");
        var error = Assert.Throws<InvalidDataException>(() => HfModelDirectory.LoadConfig(_dir.Path));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("malformed config.json", error.Message);
    }

    [Fact]
    public void MissingDirectory()
    {
        string missing = _dir.File("no-such-model");
        var error = Assert.Throws<DirectoryNotFoundException>(() => HfModelDirectory.LoadInto(missing, _parameters, Micro));
        Assert.Contains("no-such-model", error.Message);
        Assert.Contains("model directory not found", error.Message);
        Assert.Throws<DirectoryNotFoundException>(() => HfModelDirectory.LoadConfig(missing));
    }

    [Fact]
    public void DirectoryWithoutConfig()
    {
        SaveGood();
        File.Delete(_dir.File("config.json"));
        var error = Assert.Throws<FileNotFoundException>(() => HfModelDirectory.LoadConfig(_dir.Path));
        Assert.Contains(_dir.Path, error.Message);
        Assert.Contains("no config.json", error.Message);
    }

    [Fact]
    public void DirectoryWithoutWeights()
    {
        SaveGood();
        File.Delete(_dir.File("model.safetensors"));
        var error = AssertLoadFails<FileNotFoundException>(_dir.Path, "none of model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json exists");
        Assert.Contains("no weights", error.Message);
    }

    [Fact]
    public void MalformedIndexJson()
    {
        SaveGood(maxShardBytes: 20_000);
        File.WriteAllText(_dir.File("model.safetensors.index.json"), "{\"weight_map\": {\"a\": ");
        AssertLoadFails<InvalidDataException>("model.safetensors.index.json", "malformed index JSON");
    }

    [Fact]
    public void IndexWithoutWeightMap()
    {
        SaveGood(maxShardBytes: 20_000);
        File.WriteAllText(_dir.File("model.safetensors.index.json"), "{\"metadata\": {}}");
        AssertLoadFails<InvalidDataException>("model.safetensors.index.json", "no \"weight_map\"");
    }

    [Fact]
    public void IndexNamingAShardThatDoesNotExist()
    {
        SaveGood(maxShardBytes: 20_000);
        string shard = Directory.GetFiles(_dir.Path, "model-*.safetensors").Order().Last();
        File.Delete(shard);
        var error = AssertLoadFails<FileNotFoundException>("model.safetensors.index.json", "does not exist");
        Assert.Contains(Path.GetFileName(shard), error.Message);
    }

    [Fact]
    public void IndexNamingAShardOutsideTheDirectory()
    {
        SaveGood(maxShardBytes: 20_000);
        string index = _dir.File("model.safetensors.index.json");
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"model-00001", "\"../model-00001"));
        AssertLoadFails<InvalidDataException>("model.safetensors.index.json", "is not a plain file name");
    }

    [Fact]
    public void IndexListingATensorThatIsNotInItsShard()
    {
        SaveGood(maxShardBytes: 20_000);
        string index = _dir.File("model.safetensors.index.json");
        string shard = Path.GetFileName(Directory.GetFiles(_dir.Path, "model-*.safetensors").Order().First());
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"weight_map\": {", $"\"weight_map\": {{\n    \"model.extra.weight\": \"{shard}\","));
        AssertLoadFails<InvalidDataException>(shard, "tensor 'model.extra.weight' is listed for this shard");
    }

    [Fact]
    public void ShardHoldingATensorTheIndexDoesNotList()
    {
        SaveGood(maxShardBytes: 20_000);
        string index = _dir.File("model.safetensors.index.json");
        string text = File.ReadAllText(index);
        string line = text.Split('\n').First(l => l.Contains("model.layers.0.mlp.up_proj.weight"));
        File.WriteAllText(index, text.Replace(line + "\n", "").Replace(",\n  }", "\n  }"));
        AssertLoadFails<InvalidDataException>(".safetensors", "tensors not listed for this shard");
    }

    [Fact]
    public void ParametersThatDisagreeWithTheConfig_AreACallerError()
    {
        SaveGood();
        _parameters.Remove("lm_head.weight");
        var error = Assert.Throws<ArgumentException>(() => HfModelDirectory.LoadInto(_dir.Path, _parameters, Micro));
        Assert.Contains("missing lm_head.weight", error.Message);
    }
}
