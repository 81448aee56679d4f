using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Model;
using AmuroChar.Training;
using AmuroChar.Tests.Shared;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>Issue 18: the family of a model directory is chosen once, by config.json's model_type, and everything after
/// takes <see cref="ICausalLM"/>.</summary>
public class ModelFamiliesTests
{
    [Fact]
    public void An_OLMo_directory_loads_and_saves_through_its_family_bitwise()
    {
        using var dir = new TempDirectory();
        using var model = MicroFixtures.Model(seed: 4);
        ModelFamilies.Of(model).Save(dir.File("a"), model);
        Assert.Same(ModelFamilies.Olmo, ModelFamilies.Of(dir.File("a")));
        using var loaded = ModelLoader.Load(dir.File("a"));
        Assert.Equal("olmo", loaded.ModelType);
        Assert.Equal(model.Shape, loaded.Shape);
        using var ids = tensor(new long[] { 3, 9, 27, 81 }).unsqueeze(0);
        using var _ = no_grad();
        Assert.Equal(model.Forward(ids).data<float>().ToArray(), loaded.Forward(ids).data<float>().ToArray());
    }

    /// <summary>A micro GPT-NeoX sized for the micro tokenizer, with decisive logits.</summary>
    static GptNeoXForCausalLM MicroNeoX(long seed) => GptNeoXForCausalLM.CreateRandom(new GptNeoXConfig
    {
        VocabSize = MicroFixtures.Tokenizer.VocabularySize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
        NumAttentionHeads = 4, MaxPositionEmbeddings = 256, RotaryPct = 0.5, InitializerRange = 0.3, EosTokenId = 0,
    }, seed);

    [Fact]
    public void A_GPT_NeoX_directory_is_loaded_as_its_family()
    {
        using var dir = new TempDirectory();
        using var model = MicroNeoX(5);
        ModelFamilies.Of(model).Save(dir.File("neox"), model);
        Assert.Same(ModelFamilies.GptNeoX, ModelFamilies.Of(dir.File("neox")));
        using var loaded = ModelLoader.Load(dir.File("neox"));
        Assert.IsType<GptNeoXForCausalLM>(loaded);
        using var ids = tensor(new long[] { 3, 9, 27, 81 }).unsqueeze(0);
        using var _ = no_grad();
        Assert.Equal(model.Forward(ids).data<float>().ToArray(), loaded.Forward(ids).data<float>().ToArray());
    }

    /// <summary>The engine runs a second family unchanged: the evaluator (its shared few-shot prefix included) and
    /// fine-tuning take the interface.</summary>
    [Fact]
    public void The_evaluator_and_fine_tuning_run_a_GPT_NeoX_model()
    {
        using var model = MicroNeoX(6);
        var data = MicroFixtures.Nli(10);
        foreach (string method in new[] { Methods.NextWord, Methods.Generate })
        {
            var spec = new EvalSpec("default", method, 2, MaxNewTokens: 6, Protocol: EvalProtocol.Authors);
            var shared = new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(data, null, spec);
            var whole = new Evaluator(model, MicroFixtures.Tokenizer, sharePrefix: false).Evaluate(data, null, spec);
            Assert.Equal(whole.Items.Select(i => i.Prediction), shared.Items.Select(i => i.Prediction));
        }
        var before = model.StateDict()["embed_out.weight"].clone();
        var examples = data.Examples.Select(e => SupervisedExample.From(data.Task, e, "default", MicroFixtures.Tokenizer, 64, 0)).ToList();
        FineTuner.Run(model, examples, new FineTuneConfig { Epochs = 1, BatchSize = 4, LearningRate = 1e-3 }, padId: 1);
        Assert.False(before.allclose(model.StateDict()["embed_out.weight"], rtol: 0, atol: 0));
    }

    /// <summary><c>amurochar init --family gpt_neox</c> writes a random Pythia-shaped model that <c>logprobs</c> reads,
    /// the full pass and the KV cache giving the same numbers.</summary>
    [Fact]
    public void Init_writes_a_GPT_NeoX_model_that_logprobs_reads()
    {
        using var dir = new TempDirectory();
        var init = Cli("init", "--family", "gpt_neox", "--preset", "micro", "--out", dir.File("neox"));
        Assert.True(init.Code == 0, init.Err);
        Assert.Contains("gpt_neox micro", init.Out);
        Assert.Same(ModelFamilies.GptNeoX, ModelFamilies.Of(dir.File("neox")));
        var full = Cli("logprobs", "--model", dir.File("neox"), "--ids", "3,9,27,81,5");
        var cached = Cli("logprobs", "--model", dir.File("neox"), "--ids", "3,9,27,81,5", "--cache");
        Assert.True(full.Code == 0, full.Err);
        Assert.Contains("\"logprobs\":[", full.Out);
        Assert.Equal(full.Out, cached.Out);
        var unknown = Cli("init", "--family", "mamba", "--out", dir.File("m"));
        Assert.Equal(2, unknown.Code);
        Assert.Contains("known: olmo, gpt_neox", unknown.Err);
    }

    static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amurochar.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void An_unknown_model_type_is_an_error_naming_the_file_and_the_known_families()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("m"));
        File.WriteAllText(Path.Combine(dir.File("m"), "config.json"), """{"model_type": "mamba"}""");
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(dir.File("m")));
        Assert.Contains(Path.Combine(dir.File("m"), "config.json"), e.Message);
        Assert.Contains("'mamba'", e.Message);
        Assert.Contains("olmo, gpt_neox", e.Message);
        Assert.Throws<ArgumentException>(() => ModelFamilies.For("mamba"));
    }
}
