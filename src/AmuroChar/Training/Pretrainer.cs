using System.Diagnostics;
using System.Text.Json;
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
/// (the data order is a function of the step; nothing else is random during training).
/// Layout of <c>runDirectory</c>: checkpoints/step-N/ (the HF directories) and state/step-N/ (optimizer, step).
/// </summary>
public static class Pretrainer
{
    public static string CheckpointDirectory(string runDirectory, int step) => Path.Combine(runDirectory, "checkpoints", $"step-{step}");
    static string StateDirectory(string runDirectory, int step) => Path.Combine(runDirectory, "state", $"step-{step}");

    public static void Run(OlmoConfig modelConfig, HfTokenizer tokenizer, int[] tokens, PretrainConfig config, string runDirectory,
        IProgress<TrainingProgress>? progress = null, int? stopAfterStep = null)
    {
        config.Validate();
        modelConfig.Validate();
        if (config.SequenceLength > modelConfig.MaxPositionEmbeddings)
            throw new ArgumentException($"sequence length {config.SequenceLength} exceeds max_position_embeddings {modelConfig.MaxPositionEmbeddings}");

        var data = new PackedSequences(tokens, config.SequenceLength, config.Seed);
        using var model = OlmoForCausalLM.CreateRandom(modelConfig, config.Seed);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: config.PeakLearningRate, beta1: config.Beta1, beta2: config.Beta2,
            weight_decay: config.WeightDecay);

        int start = Resume(runDirectory, model, optimizer, config);
        var checkpoints = config.CheckpointSteps.ToHashSet();
        var clock = Stopwatch.StartNew();
        long tokensSeen = 0;
        model.train();

        for (int step = start; ; step++)
        {
            if (checkpoints.Contains(step) && !Directory.Exists(CheckpointDirectory(runDirectory, step)))
                SaveCheckpoint(runDirectory, step, model, optimizer, tokenizer, config);
            if (step == config.Steps || step == stopAfterStep) break;

            using var scope = NewDisposeScope();
            double lr = LearningRate.WarmupCosine(step, config.Steps, config.WarmupSteps, config.PeakLearningRate, config.FinalLearningRateRatio);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var batch = data.Batch(step, config.BatchSize).to(model.Device);
            optimizer.zero_grad();
            var logits = model.Forward(batch[.., ..^1]);
            var loss = F.cross_entropy(logits.reshape(-1, logits.shape[2]), batch[.., 1..].reshape(-1));
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, config.GradientClip);
            optimizer.step();

            tokensSeen += (long)config.BatchSize * config.SequenceLength;
            progress?.Report(new TrainingProgress("pretrain", step + 1, config.Steps, loss.item<float>(), lr, tokensSeen / clock.Elapsed.TotalSeconds));
        }
    }

    /// <summary>The step to continue from: the latest checkpoint that has saved optimizer state, or 0.</summary>
    static int Resume(string runDirectory, OlmoForCausalLM model, TorchSharp.Modules.OptimizerHelper optimizer, PretrainConfig config)
    {
        string stateRoot = Path.Combine(runDirectory, "state");
        if (!Directory.Exists(stateRoot)) return 0;
        var saved = config.CheckpointSteps.Where(s => File.Exists(Path.Combine(StateDirectory(runDirectory, s), "state.json"))
                                                      && Directory.Exists(CheckpointDirectory(runDirectory, s)))
            .DefaultIfEmpty(-1).Max();
        if (saved <= 0) return 0;
        var stateDir = StateDirectory(runDirectory, saved);
        var state = JsonSerializer.Deserialize<RunState>(File.ReadAllText(Path.Combine(stateDir, "state.json")))
                    ?? throw new InvalidDataException($"{stateDir}/state.json: empty");
        if (state.ConfigJson != JsonSerializer.Serialize(config))
            throw new InvalidDataException($"{runDirectory}: the saved run used a different pre-training configuration; delete the directory to start over");
        HfModelDirectory.LoadInto(CheckpointDirectory(runDirectory, saved), model.StateDict(), model.Config);
        optimizer.load_state_dict(Path.Combine(stateDir, "optimizer.bin"));
        return saved;
    }

    static void SaveCheckpoint(string runDirectory, int step, OlmoForCausalLM model, TorchSharp.Modules.OptimizerHelper optimizer, HfTokenizer tokenizer, PretrainConfig config)
    {
        // Model directory first, then the state that marks it resumable; each appears whole (temp dir + rename).
        WriteDirectory(CheckpointDirectory(runDirectory, step), dir =>
        {
            HfModelDirectory.Save(dir, model.Config, model.StateDict().Select(kv => (kv.Key, kv.Value)));
            tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        });
        WriteDirectory(StateDirectory(runDirectory, step), dir =>
        {
            optimizer.save_state_dict(Path.Combine(dir, "optimizer.bin"));
            File.WriteAllText(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(new RunState(step, JsonSerializer.Serialize(config))));
        });
    }

    internal static void WriteDirectory(string final, Action<string> write)
    {
        string temp = final + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        write(temp);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
    }

    sealed record RunState(int Step, string ConfigJson);
}
