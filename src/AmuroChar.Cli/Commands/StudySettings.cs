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

    [CommandOption("--model <REPO>"), Description("Paper scale: the checkpointed repository to study (default allenai/OLMo-1B-hf; e.g. EleutherAI/pythia-160m).")]
    public string? Model { get; init; }

    /// <summary>The store, held against `store prune`'s removal of valid entries until this process ends.</summary>
    public ResultStore OpenStore() =>
        StudyHolds.Hold(Store is null ? ResultStore.Default(StoreRequirements.Options()) : new ResultStore(Store, StoreRequirements.Options()));

    public IStudyInputs Inputs(ResultStore store, IProgress<TrainingProgress>? progress) => StudyFactory.Inputs(Scale, WorldSeed, store, progress, model: Model);
}

/// <summary>A study command holds its store while it runs (<see cref="ResultStore.HoldForStudy"/>): what it computed in
/// one phase is read back in the next, and `store prune --all` in between took it down. The holds belong to the
/// command line being run (<see cref="Scope"/>; in-process test runs each have their own) and are released when it
/// returns; they are kept reachable meanwhile, since a collected FileStream would release its lock.</summary>
static class StudyHolds
{
    static readonly AsyncLocal<List<IDisposable>?> current = new();

    public static ResultStore Hold(ResultStore store)
    {
        var scope = current.Value ?? throw new InvalidOperationException("StudyHolds.Hold outside a command line's scope");
        if (store.HoldForStudy() is { } hold) lock (scope) scope.Add(hold);
        return store;
    }

    /// <summary>Holds taken until the returned scope is disposed.</summary>
    public static IDisposable Scope()
    {
        var scope = new List<IDisposable>();
        current.Value = scope;
        return new Release(scope);
    }

    sealed class Release(List<IDisposable> scope) : IDisposable
    {
        public void Dispose()
        {
            lock (scope) { foreach (var hold in scope) hold.Dispose(); scope.Clear(); }
        }
    }
}
