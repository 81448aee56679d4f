using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using AmuroChar.Training;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Model;

/// <summary>
/// bf16 mixed precision as torch.autocast(bfloat16) runs it, checked on the CPU: the same model's logprobs under
/// bf16-mixed and fp32 agree within bf16's precision (and do differ, so the bf16 path is really taken), LayerNorm
/// sees and returns fp32, and a training step leaves fp32 master weights with fp32 gradients.
/// </summary>
public sealed class MixedPrecisionTests(ITestOutputHelper output)
{
    // bf16 keeps 8 significant bits: one rounding is off by at most 2^-8 of the value. Every matmul input is rounded
    // once, and the errors of the layers add up in the residual stream, so a logprob moves by a multiple of 2^-8 times
    // the size of the logits. Measured (4 × 48 random tokens, seed 7), max |Δ logprob| / max |logit|:
    //   micro init 0.02: 0.0018 / 0.45 = 0.0040      tiny init 0.02: 0.0068 / 1.36 = 0.0050
    //   micro init 0.2:  0.110  / 4.90 = 0.022       tiny init 0.1:  0.133  / 5.38 = 0.025 (6.3 × 2^-8)
    // (a micro model fine-tuned in the micro study, through `amurochar logprobs --precision`: 0.0024). The bound is
    // 16 roundings of the largest logit, 2.5× the largest measured ratio.
    const double RelativeBound = 16.0 / 256;

    static Tensor RandomIds(long batch, long length, int vocab, long seed) =>
        randint(0, vocab, [batch, length], dtype: ScalarType.Int64, generator: new Generator((ulong)seed));

    [Theory]
    [InlineData("micro", 0.02)]
    [InlineData("micro", 0.2)]
    [InlineData("tiny", 0.02)]
    [InlineData("tiny", 0.1)]
    public void Bf16_mixed_logprobs_agree_with_fp32_within_bf16_precision(string preset, double initializerRange)
    {
        TorchRuntime.SetThreads(2);
        var config = OlmoConfig.Preset(preset) with { InitializerRange = initializerRange };
        using var model = OlmoForCausalLM.CreateRandom(config, seed: 7);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var ids = RandomIds(4, 48, config.VocabSize, 3);

        var fp32Logits = model.Forward(ids);
        model.Precision = Precision.Bf16Mixed;
        var bf16Logits = model.Forward(ids);

        Assert.Equal(ScalarType.Float32, bf16Logits.dtype);   // logits reach log-softmax as fp32, as under autocast
        double max = (bf16Logits.log_softmax(-1) - fp32Logits.log_softmax(-1)).abs().max().item<float>();
        double largestLogit = fp32Logits.abs().max().item<float>();
        output.WriteLine($"{preset} init {initializerRange}: max |Δ logprob| {max:G4}, max |logit| {largestLogit:G4}, ratio {max / largestLogit:G4}");
        Assert.True(max > 0, "bf16-mixed gave the fp32 logprobs bit for bit: the bf16 path was not taken");
        Assert.True(max <= RelativeBound * largestLogit, $"max |Δ logprob| {max} exceeds {RelativeBound} × max |logit| {largestLogit}");
    }

    [Fact]
    public void The_default_is_fp32_and_auto_is_fp32_on_the_cpu()
    {
        using var model = MicroFixtures.Model();
        Assert.Equal(Precision.Fp32, model.Precision);
        Assert.Equal(Precision.Fp32, Precision.Auto.On(CPU));
        Assert.Equal(Precision.Bf16Mixed, Precision.Auto.On(new Device(TorchSharp.DeviceType.CUDA)));
        Assert.Equal(Precision.Bf16Mixed, MixedPrecision.Parse("bf16-mixed"));
        Assert.Contains("valid: fp32, bf16-mixed, auto", Assert.Throws<ArgumentException>(() => MixedPrecision.Parse("fp16")).Message);
    }

    [Fact]
    public void Layer_norms_see_and_return_fp32_under_bf16_mixed()
    {
        using var model = MicroFixtures.Model();
        model.Precision = Precision.Bf16Mixed;
        var seen = new List<(ScalarType In, ScalarType Out)>();
        var norms = model.modules().OfType<OlmoLayerNorm>().ToList();
        var hooks = norms.Select(n => n.register_forward_hook((_, input, result) => { seen.Add((input.dtype, result.dtype)); return result; })).ToList();
        using (no_grad()) model.Forward(RandomIds(2, 12, model.Config.VocabSize, 5)).Dispose();
        foreach (var hook in hooks) hook.remove();

        Assert.Equal(2 * model.Config.NumHiddenLayers + 1, seen.Count);   // two per block and the final norm
        Assert.All(seen, s => Assert.Equal((ScalarType.Float32, ScalarType.Float32), s));
    }

    [Fact]
    public void A_bf16_mixed_training_step_keeps_fp32_master_weights_and_gradients()
    {
        using var model = MicroFixtures.Model(seed: 9);
        var before = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var examples = Enumerable.Range(0, 4).Select(i => new SupervisedExample([5 + i, 6, 7, 8], [9 + i, 10, 0])).ToList();
        var config = new FineTuneConfig { Epochs = 1, BatchSize = 4, LearningRate = 1e-2, WarmupRatio = 0, Precision = Precision.Bf16Mixed };
        var seenGradients = new List<ScalarType>();
        var losses = new List<double>();

        FineTuner.Run(model, examples, config, padId: 1, new OnReport<TrainingProgress>(p =>
        {
            losses.Add(p.Loss);
            seenGradients.AddRange(model.parameters().Where(q => q.grad is not null).Select(q => q.grad!.dtype));
        }));

        Assert.Single(losses);
        Assert.True(double.IsFinite(losses[0]));
        Assert.NotEmpty(seenGradients);
        Assert.All(seenGradients, d => Assert.Equal(ScalarType.Float32, d));
        Assert.All(model.StateDict(), kv => Assert.Equal(ScalarType.Float32, kv.Value.dtype));
        Assert.Contains(model.StateDict(), kv => !kv.Value.eq(before[kv.Key]).all().item<bool>());   // the step did update them
        Assert.Equal(Precision.Fp32, model.Precision);   // training's precision does not leak into evaluation
        foreach (var t in before.Values) t.Dispose();
    }

    /// <summary>Runs on the training thread at each step's report, while that step's gradients are still there.</summary>
    sealed class OnReport<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
