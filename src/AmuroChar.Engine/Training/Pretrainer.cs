using System.Diagnostics;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tokenization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Training;

/// <summary>
/// Pre-trains an OLMo model from random initialisation on a token stream, saving a Hugging Face checkpoint directory
/// (config.json, model.safetensors, tokenizer.json) at each configured step. Optimizer state is saved beside each
/// checkpoint, so a killed run resumes from its last checkpoint and ends bitwise identical to an uninterrupted one
/// (the data order is a function of the step; nothing else is random during training). Layout and validation of
/// <c>runDirectory</c>: see <see cref="WorkCheckpoints"/>.
/// </summary>
public static class Pretrainer
{
    public static string CheckpointDirectory(string runDirectory, int step) => WorkCheckpoints.CheckpointDirectory(runDirectory, step);

    public static void Run(OlmoConfig modelConfig, HfTokenizer tokenizer, int[] tokens, PretrainConfig config, string runDirectory,
        IProgress<TrainingProgress>? progress = null, int? stopAfterStep = null, Action<string>? notice = null)
    {
        config.Validate();
        modelConfig.Validate();
        if (config.SequenceLength > modelConfig.MaxPositionEmbeddings)
            throw new ArgumentException($"sequence length {config.SequenceLength} exceeds max_position_embeddings {modelConfig.MaxPositionEmbeddings}");

        var data = new PackedSequences(tokens, config.SequenceLength, config.Seed);
        using var model = OlmoForCausalLM.CreateRandom(modelConfig, config.Seed);
        model.Precision = config.Precision;
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: config.PeakLearningRate, beta1: config.Beta1, beta2: config.Beta2,
            weight_decay: config.WeightDecay);

        // Damaged or unfinished work checkpoints are discarded (and announced) before anything is loaded.
        int start = Resume(runDirectory, model, optimizer, config, notice ?? Console.Error.WriteLine);
        var checkpoints = config.CheckpointSteps.ToHashSet();
        var clock = Stopwatch.StartNew();
        long tokensSeen = 0;
        model.train();

        for (int step = start; ; step++)
        {
            if (checkpoints.Contains(step) && !Directory.Exists(CheckpointDirectory(runDirectory, step)))
                WorkCheckpoints.Save(runDirectory, step, model, optimizer, tokenizer, config);
            if (step == config.Steps || step == stopAfterStep) break;

            using var scope = NewDisposeScope();
            double lr = LearningRate.WarmupCosine(step, config.Steps, config.WarmupSteps, config.PeakLearningRate, config.FinalLearningRateRatio);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var batch = data.Batch(step, config.BatchSize, model.Device);
            optimizer.zero_grad();
            var logits = model.Forward(batch[.., ..^1]);
            var loss = F.cross_entropy(logits.reshape(-1, logits.shape[2]), batch[.., 1..].reshape(-1));
            loss.backward();
            ComputeLedger.Backward(logits.shape[0] * logits.shape[1], logits.shape[1]);
            nn.utils.clip_grad_norm_(parameters, config.GradientClip);
            optimizer.step();

            tokensSeen += (long)config.BatchSize * config.SequenceLength;
            progress?.Report(new TrainingProgress("pretrain", step + 1, config.Steps, loss.item<float>(), lr, tokensSeen / clock.Elapsed.TotalSeconds));
        }
    }

    /// <summary>Loads the checkpoint <see cref="WorkCheckpoints.PrepareResume"/> chose (0: the random initialisation).</summary>
    static int Resume(string runDirectory, OlmoForCausalLM model, TorchSharp.Modules.OptimizerHelper optimizer, PretrainConfig config,
        Action<string> notice)
    {
        int saved = WorkCheckpoints.PrepareResume(runDirectory, config, notice);
        if (saved <= 0) return 0;
        HfModelDirectory.LoadInto(CheckpointDirectory(runDirectory, saved), model.StateDict(), model.Config);
        optimizer.load_state_dict(Path.Combine(runDirectory, "state", $"step-{saved}", "optimizer.bin"));
        return saved;
    }

    /// <summary>Null if every checkpoint of the finished run in <paramref name="runDirectory"/> is sound (checksums
    /// as written, finite weights), else which one is not and why: checked before the run is sealed into a store.</summary>
    public static string? CheckFinished(string runDirectory, PretrainConfig config)
    {
        foreach (int step in config.CheckpointSteps)
            if (WorkCheckpoints.Problem(runDirectory, step, config) is { } problem) return $"checkpoint step-{step}: {problem}";
        return null;
    }
}
