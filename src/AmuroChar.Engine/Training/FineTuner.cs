using System.Diagnostics;
using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Training;

/// <summary>
/// Supervised fine-tuning (and instruction tuning, which is the same procedure on chat data): full fine-tuning with
/// AdamW, a linear schedule with warmup, loss on completion tokens only (averaged as <see cref="FineTuneConfig.Recipe"/>
/// says: over the batch's completion tokens, as transformers computes it with −100 labels, or per example first, as the
/// authors' open-instruct run did).
/// </summary>
public static class FineTuner
{
    public static void Run(ICausalLM model, IReadOnlyList<SupervisedExample> examples, FineTuneConfig config, int padId,
        IProgress<TrainingProgress>? progress = null, string phase = "finetune")
    {
        config.Validate();
        if (examples.Count == 0) throw new ArgumentException("no fine-tuning examples");
        var batches = SupervisedBatches.Plan(examples, config.BatchSize, config.Epochs, config.Seed);
        int warmup = config.WarmupSteps(batches.Count);
        var parameters = model.Module.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: config.LearningRate, weight_decay: config.WeightDecay);
        var evaluationPrecision = model.Precision;
        model.Precision = config.Precision;
        model.Module.train();
        try
        {
            Train(model, batches, config, padId, optimizer, parameters, warmup, progress, phase);
        }
        finally
        {
            model.Precision = evaluationPrecision;   // the model's owner chose how it is evaluated
            model.Module.eval();
        }
    }

    static void Train(ICausalLM model, List<SupervisedExample[]> batches, FineTuneConfig config, int padId,
        TorchSharp.Modules.OptimizerHelper optimizer, List<TorchSharp.Modules.Parameter> parameters, int warmup,
        IProgress<TrainingProgress>? progress, string phase)
    {
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        for (int step = 0; step < batches.Count; step++)
        {
            using var scope = NewDisposeScope();
            double lr = LearningRate.WarmupLinear(step, batches.Count, warmup, config.LearningRate);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var (inputs, labels) = SupervisedBatches.Tensors(batches[step], padId, model.Device);
            optimizer.zero_grad();
            var logits = model.Forward(inputs);
            var loss = Loss(logits, labels, config.Recipe);
            loss.backward();
            ComputeLedger.Backward(inputs.numel(), inputs.shape[1]);
            nn.utils.clip_grad_norm_(parameters, config.GradientClip);
            optimizer.step();
            tokens += inputs.numel();
            progress?.Report(new TrainingProgress(phase, step + 1, batches.Count, loss.item<float>(), lr, tokens / clock.Elapsed.TotalSeconds));
        }
    }

    /// <summary>The completion-only loss of a batch ([B, T, V] logits, [B, T] labels with −100 where no loss is taken),
    /// averaged as <paramref name="recipe"/> says.</summary>
    internal static Tensor Loss(Tensor logits, Tensor labels, FineTuneRecipe recipe)
    {
        var flatLogits = logits.reshape(-1, logits.shape[2]);
        if (recipe == FineTuneRecipe.Suite)
            return F.cross_entropy(flatLogits, labels.reshape(-1), ignore_index: SupervisedBatches.IgnoreIndex);
        var perToken = F.cross_entropy(flatLogits, labels.reshape(-1), ignore_index: SupervisedBatches.IgnoreIndex, reduction: nn.Reduction.None)
            .reshape(labels.shape[0], labels.shape[1]);
        var counted = labels.ne(SupervisedBatches.IgnoreIndex).sum(1).to(perToken.dtype).clamp_min(1);
        return (perToken.sum(1) / counted).mean();
    }
}
