using AmuroChar.Model;

namespace AmuroChar.Training;

/// <summary>Pre-training from scratch: causal LM on packed sequences, AdamW, linear warmup then cosine decay.</summary>
public sealed record PretrainConfig
{
    /// <summary>Long enough for most 4-shot evaluation prompts (250–350 tokens), which a model never trained on such
    /// lengths would read past its rotary positions' experience.</summary>
    public int SequenceLength { get; init; } = 256;
    public int BatchSize { get; init; } = 16;
    public int Steps { get; init; } = 2000;
    public double PeakLearningRate { get; init; } = 2e-3;
    public double FinalLearningRateRatio { get; init; } = 0.1;
    public int WarmupSteps { get; init; } = 50;
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double GradientClip { get; init; } = 1.0;
    public long Seed { get; init; } = 1;
    /// <summary>Steps after which a checkpoint is saved; 0 is the random initialisation. Dense early, where the
    /// paper's curves move.</summary>
    public IReadOnlyList<int> CheckpointSteps { get; init; } = [0, 100, 300, 800, 2000];
    /// <summary>What the forward and backward passes compute in; the weights and optimizer state stay fp32.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    public PretrainConfig Validate()
    {
        if (SequenceLength < 2 || BatchSize < 1 || Steps < 1) throw new ArgumentException("pre-training needs sequence length ≥ 2, batch ≥ 1, steps ≥ 1");
        if (WarmupSteps < 0 || WarmupSteps > Steps) throw new ArgumentException($"warmup steps {WarmupSteps} must be within 0..{Steps}");
        if (PeakLearningRate <= 0) throw new ArgumentException("learning rate must be positive");
        foreach (int s in CheckpointSteps)
            if (s < 0 || s > Steps) throw new ArgumentException($"checkpoint step {s} is outside 0..{Steps}");
        return this;
    }
}

/// <summary>
/// Supervised fine-tuning as in the paper: AdamW with weight decay 0, linear schedule with 3% warmup, loss on the
/// completion only with EOS appended. The same settings apply at every checkpoint; the model after the last step is
/// the one evaluated (no picking the best step after the fact).
/// </summary>
public sealed record FineTuneConfig
{
    public double LearningRate { get; init; } = 3e-4;
    public int Epochs { get; init; } = 2;
    public int BatchSize { get; init; } = 16;
    public double WarmupRatio { get; init; } = 0.03;
    public double WeightDecay { get; init; } = 0.0;
    public double GradientClip { get; init; } = 1.0;
    public int MaxLength { get; init; } = 256;
    public long Seed { get; init; } = 42;
    /// <summary>What the forward and backward passes compute in; the weights and optimizer state stay fp32.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;
    /// <summary>How the loss averages and warmup rounds (<see cref="FineTuneRecipe"/>). Left out of the JSON at its
    /// default, so the CPU scales' models keep their keys.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public FineTuneRecipe Recipe { get; init; } = FineTuneRecipe.Suite;

    /// <summary>Warmup steps of a run of <paramref name="steps"/> optimizer steps: the suite rounds the 3% up (at
    /// least one step); open-instruct's <c>int(steps * warmup_ratio)</c> rounds down.</summary>
    public int WarmupSteps(int steps) => Recipe == FineTuneRecipe.OpenInstruct
        ? (int)Math.Floor(steps * WarmupRatio)
        : (int)Math.Ceiling(WarmupRatio * steps);

    public FineTuneConfig Validate()
    {
        if (LearningRate <= 0 || Epochs < 1 || BatchSize < 1 || MaxLength < 2) throw new ArgumentException("fine-tuning needs lr > 0, epochs ≥ 1, batch ≥ 1, max length ≥ 2");
        if (WarmupRatio is < 0 or > 1) throw new ArgumentException("warmup ratio must be within 0..1");
        return this;
    }
}

/// <summary>
/// The two ways of averaging the fine-tuning loss. <see cref="Suite"/>: one mean over every completion token of the
/// batch (transformers' loss on a padded batch). <see cref="OpenInstruct"/>: what the authors' run computed with
/// <c>open_instruct/finetune.py</c> (micro-batches of one example, 8 accumulated, <c>--reduce_loss mean</c>): each
/// example's mean over its own completion tokens, then the mean over the batch's examples, so a short completion
/// weighs as much as a long one.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<FineTuneRecipe>))]
public enum FineTuneRecipe { Suite, OpenInstruct }
