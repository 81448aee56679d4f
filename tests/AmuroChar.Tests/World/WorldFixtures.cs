using AmuroChar.Tasks;
using AmuroChar.World;

namespace AmuroChar.Tests.World;

/// <summary>One tiny world (seed 7) and its datasets, built once per test run and shared read-only.</summary>
internal static class WorldFixtures
{
    public const long Seed = 7;

    /// <summary>Smaller than <see cref="DataConfig.Tiny"/> so the shared build stays fast, large enough that every
    /// entity of each split occurs many times.</summary>
    public static readonly DataConfig Small = new()
    {
        FineTuneTrainGeneration = 400, FineTuneTrainClassification = 600, InstructionTrain = 80,
        EvalClassification = 300, EvalGeneration = 160, OodClassification = 300, OodGeneration = 60, MultipleChoice = 60, FewShotPool = 16,
    };

    static readonly Lazy<TinyWorld> LazyWorld = new(() => new TinyWorld(WorldConfig.Tiny, Seed));
    static readonly Lazy<DatasetCatalog> LazyDatasets = new(() => TinyWorldDatasets.Build(World, Small));
    static readonly Lazy<DatasetCatalog> LazyTinyDatasets = new(() => TinyWorldDatasets.Build(World, DataConfig.Tiny));

    public static TinyWorld World => LazyWorld.Value;
    public static DatasetCatalog Datasets => LazyDatasets.Value;

    /// <summary>The datasets at the sizes the tiny scale really uses.</summary>
    public static DatasetCatalog TinyDatasets => LazyTinyDatasets.Value;

    /// <summary>The four fine-tuning tasks: training split and in-domain evaluation split.</summary>
    public static readonly IReadOnlyList<(string Train, string Eval)> FineTuningPairs =
    [
        ("xsum/train", "xsum/test"),
        ("socialiqa/train", "socialiqa/validation"),
        ("mnli/train", "mnli_matched/validation"),
        ("paws/train", "paws/test"),
    ];
}
