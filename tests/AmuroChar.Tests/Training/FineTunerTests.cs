using AmuroChar.Tests.Shared;
using AmuroChar.Training;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.Training;

public class FineTunerTests
{
    static double Loss(AmuroChar.Model.OlmoForCausalLM model, SupervisedExample[] batch, int pad)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var (inputs, labels) = SupervisedBatches.Tensors(batch, pad);
        var logits = model.Forward(inputs);
        return F.cross_entropy(logits.reshape(-1, logits.shape[2]), labels.reshape(-1), ignore_index: SupervisedBatches.IgnoreIndex).item<float>();
    }

    [Fact]
    public void A_short_run_lowers_the_completion_loss_on_its_training_data()
    {
        var tok = MicroFixtures.Tokenizer;
        int pad = tok.PadId!.Value;
        var examples = MicroFixtures.Nli(8, "train").Examples
            .Select(e => SupervisedExample.From(T.Nli, e, "default", tok, maxLength: 64)).ToList();
        using var model = MicroFixtures.Model(seed: 4);
        var batch = examples.ToArray();
        double before = Loss(model, batch, pad);

        var progress = new Recorder<TrainingProgress>();
        var config = new FineTuneConfig { LearningRate = 1e-2, Epochs = 6, BatchSize = 4, WarmupRatio = 0.1, Seed = 1 };
        AmuroChar.Training.FineTuner.Run(model, examples, config, pad, progress);
        double after = Loss(model, batch, pad);

        Assert.Equal(12, progress.Reports.Count);                 // 8 examples / 4 per batch × 6 epochs
        Assert.Equal(0.0, progress.Reports[0].LearningRate);     // linear warmup starts at 0, as transformers does
        Assert.True(after < before * 0.7, $"loss {before:0.000} -> {after:0.000}");
        Assert.False(model.training);                            // left in eval mode
    }

    [Fact]
    public void Bad_settings_and_empty_data_are_refused()
    {
        using var model = MicroFixtures.Model();
        Assert.Throws<ArgumentException>(() => AmuroChar.Training.FineTuner.Run(model, [], new FineTuneConfig(), 1));
        Assert.Throws<ArgumentException>(() => new FineTuneConfig { Epochs = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new FineTuneConfig { WarmupRatio = 1.5 }.Validate());
    }
}
