using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tests.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Model;

/// <summary>
/// Reading and writing GPT-NeoX directories: HF parameter names, a save/load round trip, Pythia's own config.json,
/// the buffers older transformers versions saved (skipped), and clear errors — naming the file — for a tensor the
/// model lacks, a tensor the file lacks, and config fields this implementation does not support.
/// </summary>
public sealed class GptNeoXLoadingTests(ITestOutputHelper output)
{
    static readonly GptNeoXFixtures.Fixture Pythia = GptNeoXFixtures.All[0];

    /// <summary>A copy of the pythia-like fixture with its tensors changed by <paramref name="edit"/>.</summary>
    static TempDirectory EditedCopy(Action<Dictionary<string, Tensor>> edit)
    {
        var dir = new TempDirectory();
        string source = GptNeoXFixtures.Directory(Pythia.Name);
        File.Copy(Path.Combine(source, "config.json"), dir.File("config.json"));
        var tensors = SafeTensorsFile.Load(Path.Combine(source, "model.safetensors"));
        edit(tensors);
        SafeTensorsFile.Save(dir.File("model.safetensors"), tensors);
        foreach (var t in tensors.Values) t.Dispose();
        return dir;
    }

    static float[] Logits(GptNeoXForCausalLM model)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return model.Forward(tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6 }, device: model.Device).unsqueeze(0)).data<float>().ToArray();
    }

    [Fact]
    public void Parameter_names_are_the_Hugging_Face_state_dict_keys_and_match_the_fixture_files()
    {
        foreach (var fixture in GptNeoXFixtures.All)
        {
            using var model = new GptNeoXForCausalLM(fixture.Config);
            var names = model.StateDict().Keys.ToList();
            Assert.Equal(GptNeoXParameterShapes.Expected(fixture.Config).Keys, names);
            var header = SafeTensorsFile.ReadHeader(Path.Combine(GptNeoXFixtures.Directory(fixture.Name), "model.safetensors"));
            Assert.Equal(names.Order(StringComparer.Ordinal), header.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        }
        using var pythia = new GptNeoXForCausalLM(Pythia.Config);
        var shapes = pythia.StateDict();
        Assert.Equal([3L * 64, 64], shapes["gpt_neox.layers.1.attention.query_key_value.weight"].shape);
        Assert.Equal([100L, 64], shapes["embed_out.weight"].shape);
        Assert.Contains("gpt_neox.final_layer_norm.bias", shapes.Keys);
        using var noBiases = new GptNeoXForCausalLM(GptNeoXFixtures.All[2].Config);
        Assert.DoesNotContain("gpt_neox.layers.0.attention.dense.bias", noBiases.StateDict().Keys);
        Assert.Contains("gpt_neox.layers.0.mlp.dense_h_to_4h.bias", noBiases.StateDict().Keys);   // the MLP keeps its biases
    }

    [Fact]
    public void A_saved_model_loads_back_to_the_same_logits()
    {
        using var dir = new TempDirectory();
        using var model = GptNeoXForCausalLM.CreateRandom(GptNeoXFixtures.All[1].Config, seed: 5);
        GptNeoXDirectory.Save(dir.Path, model);
        Assert.True(GptNeoXDirectory.IsGptNeoX(dir.Path));
        Assert.Contains("\"model_type\": \"gpt_neox\"", File.ReadAllText(dir.File("config.json")));
        using var loaded = GptNeoXLoader.Load(dir.Path);
        Assert.Equal(model.Config, loaded.Config with { Architectures = model.Config.Architectures, Extra = null });
        Assert.Equal(Logits(model), Logits(loaded));
    }

    [Fact]
    public void Pythias_config_json_is_read_as_it_is_on_the_hub()
    {
        // EleutherAI/pythia-70m's config.json, verbatim.
        const string json = """
            {"architectures": ["GPTNeoXForCausalLM"], "bos_token_id": 0, "eos_token_id": 0, "hidden_act": "gelu",
             "hidden_size": 512, "initializer_range": 0.02, "intermediate_size": 2048, "layer_norm_eps": 1e-05,
             "max_position_embeddings": 2048, "model_type": "gpt_neox", "num_attention_heads": 8, "num_hidden_layers": 6,
             "rotary_emb_base": 10000, "rotary_pct": 0.25, "tie_word_embeddings": false, "torch_dtype": "float16",
             "transformers_version": "4.24.0", "use_cache": true, "use_parallel_residual": true, "vocab_size": 50304}
            """;
        var config = GptNeoXConfig.FromJson(json, "pythia-70m/config.json");
        Assert.Equal(GptNeoXConfig.Pythia70M, config with { Architectures = GptNeoXConfig.Pythia70M.Architectures, Extra = null });
        Assert.Equal(["GPTNeoXForCausalLM"], config.Architectures);
        Assert.Equal(16, config.RotaryNdims);
        Assert.Contains("transformers_version", config.Extra!.Keys);
        // transformers 5 spells the rotary settings as rope_parameters; the same model.
        var v5 = GptNeoXConfig.FromJson(json.Replace("\"rotary_emb_base\": 10000, \"rotary_pct\": 0.25,",
            "\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10000, \"partial_rotary_factor\": 0.25},"), "v5/config.json");
        Assert.Equal((10000.0, 16), (v5.RotaryBase, v5.RotaryNdims));
    }

    [Theory]
    [InlineData("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"gelu_new\"", "hidden_act")]
    [InlineData("\"use_cache\": true", "\"use_cache\": true, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}", "rope_scaling")]
    [InlineData("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": true", "tie_word_embeddings")]
    [InlineData("\"rotary_pct\": 0.25", "\"rotary_pct\": 0.25, \"partial_rotary_factor\": 0.5", "partial_rotary_factor")]
    [InlineData("\"rotary_pct\": 0.25", "\"rotary_pct\": 0.1", "rotary_pct")]
    [InlineData("\"model_type\": \"gpt_neox\"", "\"model_type\": \"olmo\"", "model_type")]
    public void Unsupported_config_values_are_errors_naming_the_file_and_field(string field, string replacement, string named)
    {
        using var dir = new TempDirectory();
        GptNeoXFixtures.Write(Pythia, dir.Path);
        string json = File.ReadAllText(dir.File("config.json"));
        Assert.Contains(field, json);
        File.WriteAllText(dir.File("config.json"), json.Replace(field, replacement));
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXLoader.Load(dir.Path));
        output.WriteLine(e.Message);
        Assert.Contains(dir.File("config.json"), e.Message);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void An_unexpected_tensor_is_an_error_naming_the_file_and_the_tensor()
    {
        using var dir = EditedCopy(t => t["gpt_neox.layers.0.attention.rotary_emb.weight"] = zeros(4, device: CPU));
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXLoader.Load(dir.Path));
        output.WriteLine(e.Message);
        Assert.Contains(dir.File("model.safetensors"), e.Message);
        Assert.Contains("unexpected", e.Message);
        Assert.Contains("gpt_neox.layers.0.attention.rotary_emb.weight", e.Message);
    }

    [Fact]
    public void A_missing_tensor_is_an_error_naming_the_file_and_the_tensor()
    {
        using var dir = EditedCopy(t => { t["gpt_neox.layers.1.mlp.dense_4h_to_h.bias"].Dispose(); t.Remove("gpt_neox.layers.1.mlp.dense_4h_to_h.bias"); });
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXLoader.Load(dir.Path));
        output.WriteLine(e.Message);
        Assert.Contains(dir.File("model.safetensors"), e.Message);
        Assert.Contains("missing", e.Message);
        Assert.Contains("gpt_neox.layers.1.mlp.dense_4h_to_h.bias", e.Message);
    }

    [Fact]
    public void The_buffers_older_transformers_saved_are_skipped_but_only_for_layers_that_exist()
    {
        int positions = Pythia.Config.MaxPositionEmbeddings, layers = Pythia.Config.NumHiddenLayers;
        void AddBuffers(Dictionary<string, Tensor> t, int layerCount)
        {
            for (int i = 0; i < layerCount; i++)
            {
                t[$"gpt_neox.layers.{i}.attention.bias"] = ones([1, 1, positions, positions], ScalarType.Bool, CPU).tril();
                t[$"gpt_neox.layers.{i}.attention.masked_bias"] = tensor(-1e9f, device: CPU);
                t[$"gpt_neox.layers.{i}.attention.rotary_emb.inv_freq"] = ones(Pythia.Config.RotaryNdims / 2, device: CPU);
            }
        }
        using var withBuffers = EditedCopy(t => AddBuffers(t, layers));
        using var loaded = GptNeoXLoader.Load(withBuffers.Path);
        using var plain = GptNeoXLoader.Load(GptNeoXFixtures.Directory(Pythia.Name));
        Assert.Equal(Logits(plain), Logits(loaded));

        using var stray = EditedCopy(t => { AddBuffers(t, layers); t[$"gpt_neox.layers.{layers}.attention.masked_bias"] = tensor(-1e9f, device: CPU); });
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXDirectory.LoadInto(stray.Path, plain.StateDict(), Pythia.Config));
        Assert.Contains($"gpt_neox.layers.{layers}.attention.masked_bias", e.Message);
    }

    [Fact]
    public void Bf16_mixed_logprobs_agree_with_fp32_within_bf16_precision()
    {
        using var model = GptNeoXLoader.Load(GptNeoXFixtures.Directory(Pythia.Name));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var ids = randint(0, Pythia.Config.VocabSize, [2, 32], dtype: ScalarType.Int64, device: CPU, generator: new TorchSharp.torch.Generator(3));
        var fp32 = model.Forward(ids);
        model.Precision = Precision.Bf16Mixed;
        var bf16 = model.Forward(ids);
        Assert.Equal(ScalarType.Float32, bf16.dtype);
        double max = (bf16.log_softmax(-1) - fp32.log_softmax(-1)).abs().max().item<float>();
        double largestLogit = fp32.abs().max().item<float>();
        output.WriteLine($"bf16-mixed: max |Δ logprob| {max:G4}, max |logit| {largestLogit:G4}");
        Assert.True(max > 0, "the bf16 path was not taken");
        Assert.True(max <= 16.0 / 256 * largestLogit, $"max |Δ logprob| {max} exceeds 16/256 × max |logit| {largestLogit}");   // MixedPrecisionTests' bound
    }

    [Fact]
    public void Sequences_longer_than_the_position_table_are_refused()
    {
        using var model = new GptNeoXForCausalLM(Pythia.Config);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(zeros(1, Pythia.Config.MaxPositionEmbeddings + 1, ScalarType.Int64, CPU)));
        Assert.Contains("max_position_embeddings", e.Message);
    }
}
