using System.ComponentModel;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Training;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Options every study command shares: which scale, which world, which result store.</summary>
class StudySettings : CommandSettings
{
    [CommandOption("--scale <NAME>"), Description("tiny (default), small, or paper (needs AMUROCHAR_OLMO_DIR and AMUROCHAR_DATA_DIR).")]
    public string Scale { get; init; } = "tiny";

    [CommandOption("--world-seed <N>"), Description("Seed of the tiny world (tiny and small scales).")]
    public long WorldSeed { get; init; } = 1;

    [CommandOption("--store <DIR>"), Description("Result store (default: $AMUROCHAR_STORE, else .amurochar/store in the repository).")]
    public string? Store { get; init; }

    public ResultStore OpenStore() => Store is null ? ResultStore.Default(StoreRequirements.Options()) : new ResultStore(Store, StoreRequirements.Options());

    public IStudyInputs Inputs(ResultStore store, IProgress<TrainingProgress>? progress) => StudyFactory.Inputs(Scale, WorldSeed, store, progress);
}
