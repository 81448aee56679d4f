using System.Text.Json;
using AmuroChar.Study;
using AmuroChar.Training;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Training;

/// <summary>
/// The authors' fine-tuning recipe at the paper scale (issue 19): open-instruct's loss (each example's mean over its own
/// completion tokens, then the mean over examples), its warmup rounding, and XSum's own learning rate; the CPU scales
/// keep the suite's recipe and their keys.
/// </summary>
public class FineTuneRecipeTests
{
    [Fact]
    public void Open_instructs_loss_weighs_every_example_the_same_and_the_suites_every_token()
    {
        using var scope = NewDisposeScope();
        var logits = randn([2, 5, 7], generator: new Generator(3));
        // Example 0 has one completion token, example 1 has four.
        var labels = tensor(new long[,] { { -100, -100, -100, -100, 3 }, { -100, 1, 2, 4, 6 } });
        var logProbs = logits.log_softmax(-1);
        double Nll(int b, int t) => -logProbs[b, t, labels[b, t].item<long>()].item<float>();
        double first = Nll(0, 4), second = (Nll(1, 1) + Nll(1, 2) + Nll(1, 3) + Nll(1, 4)) / 4;
        double allTokens = (Nll(0, 4) + Nll(1, 1) + Nll(1, 2) + Nll(1, 3) + Nll(1, 4)) / 5;

        Assert.Equal((first + second) / 2, FineTuner.Loss(logits, labels, FineTuneRecipe.OpenInstruct).item<float>(), 5);
        Assert.Equal(allTokens, FineTuner.Loss(logits, labels, FineTuneRecipe.Suite).item<float>(), 5);
    }

    [Theory]
    [InlineData(100, 3, 3)]
    [InlineData(2250, 68, 67)]   // 6,000 examples, batch 8, 3 epochs: open-instruct's int(2250 × 0.03) = 67
    [InlineData(10, 1, 0)]
    public void Warmup_rounds_up_in_the_suite_and_down_in_open_instruct(int steps, int suite, int openInstruct)
    {
        Assert.Equal(suite, new FineTuneConfig().WarmupSteps(steps));
        Assert.Equal(openInstruct, new FineTuneConfig { Recipe = FineTuneRecipe.OpenInstruct }.WarmupSteps(steps));
    }

    [Fact]
    public void The_paper_scale_runs_open_instruct_with_xsums_own_rate_and_the_cpu_scales_keep_their_keys()
    {
        Assert.Equal(2e-7, Scale.Paper.FineTuneFor("xsum").LearningRate);
        Assert.Equal(2e-6, Scale.Paper.FineTuneFor("mnli").LearningRate);
        Assert.Equal(FineTuneRecipe.OpenInstruct, Scale.Paper.FineTuneFor("paws").Recipe);
        Assert.Equal(FineTuneRecipe.OpenInstruct, Scale.Paper.Instruct.Recipe);
        Assert.Same(Scale.Tiny.FineTune, Scale.Tiny.FineTuneFor("xsum"));
        Assert.DoesNotContain("Recipe", JsonSerializer.Serialize(Scale.Tiny.FineTune));   // stored models keep their keys
        Assert.Contains("\"Recipe\":\"OpenInstruct\"", JsonSerializer.Serialize(Scale.Paper.FineTune));
    }
}
