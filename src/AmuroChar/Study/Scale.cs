using AmuroChar.Training;
using AmuroChar.World;

namespace AmuroChar.Study;

/// <summary>
/// Everything that sizes a study. <c>tiny</c> is the CPU default (what CI runs); <c>small</c> is a larger CPU scale
/// for higher-fidelity runs; <c>paper</c> uses OLMo-1B-hf revisions and the real datasets from local files.
/// The fine-tuning rule is the same for every task and every checkpoint: one learning rate, epochs and batch size,
/// and the model after the last step is evaluated.
/// </summary>
public sealed record Scale
{
    public required string Name { get; init; }
    public WorldConfig World { get; init; } = WorldConfig.Tiny;
    public DataConfig Data { get; init; } = DataConfig.Tiny;
    public string ModelPreset { get; init; } = "tiny";
    public int TokenizerVocabulary { get; init; } = 1024;
    public long CorpusWords { get; init; } = 1_500_000;
    public PretrainConfig Pretrain { get; init; } = new();
    public FineTuneConfig FineTune { get; init; } = new();
    public FineTuneConfig Instruct { get; init; } = new();
    /// <summary>Demonstrations in every evaluation prompt (the paper: 4 for base and fine-tuned models alike).</summary>
    public int Shots { get; init; } = 4;
    public int MaxNewTokens { get; init; } = 48;
    /// <summary>CPU threads; results are bitwise reproducible at a fixed count.</summary>
    public int Threads { get; init; } = 2;
    /// <summary>Fine-tuning seeds averaged where a trend is asserted.</summary>
    public IReadOnlyList<long> FineTuneSeeds { get; init; } = [42];

    /// <summary>The pre-training checkpoints the study runs over.</summary>
    public IReadOnlyList<int> Checkpoints => Pretrain.CheckpointSteps;

    public static readonly Scale Tiny = new() { Name = "tiny" };

    public static readonly Scale Small = new()
    {
        Name = "small",
        World = WorldConfig.Small,
        Data = DataConfig.Small,
        ModelPreset = "small",
        TokenizerVocabulary = 2048,
        CorpusWords = 6_000_000,
        Pretrain = new PretrainConfig { Steps = 3000, BatchSize = 32, SequenceLength = 256, PeakLearningRate = 1e-3, WarmupSteps = 150, CheckpointSteps = [0, 100, 300, 800, 1500, 3000] },
        FineTuneSeeds = [42, 43, 44],
    };

    public static IReadOnlyList<string> Names => ["tiny", "small", "paper"];

    public static Scale ByName(string name) => name switch
    {
        "tiny" => Tiny,
        "small" => Small,
        _ => throw new ArgumentException($"unknown scale '{name}'; valid scales: {string.Join(", ", Names)} (paper runs through PaperInputs)"),
    };
}
