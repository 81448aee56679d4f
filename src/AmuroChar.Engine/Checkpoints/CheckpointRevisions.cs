using AmuroChar.Hub;

namespace AmuroChar.Checkpoints;

/// <summary>One pre-training checkpoint of a checkpointed model repository (OLMo-1B-hf, a Pythia): its Hub revision (<c>step1000-tokens4B</c>, or <c>main</c>), the
/// step and tokens parsed from that name (<see cref="Hub.RevisionName"/>; <see cref="CheckpointStep.Main"/> for
/// <c>main</c>, whose name gives neither), and the model directory holding its files.</summary>
public sealed record CheckpointRevision(string Name, long Step, long? Tokens, string Directory, string? Commit = null)
{
    /// <summary>The revision, with the commit it resolved to in the Hub cache.</summary>
    public override string ToString() => Commit is null ? Name : $"{Name}@{Commit}";
}

/// <summary>
/// Finds the revisions of a checkpointed repository (by default <c>allenai/OLMo-1B-hf</c>) a user has on disk, in
/// either layout:
/// <list type="bullet">
/// <item>a folder of revision folders, as <c>huggingface-cli download allenai/OLMo-1B-hf --revision step1000-tokens4B
/// --local-dir DIR/step1000-tokens4B</c> writes them;</item>
/// <item>the Hub cache (<see cref="HubCache"/>): the cache root or the repository's folder
/// (<c>models--allenai--OLMo-1B-hf</c>), whose refs name the revisions.</item>
/// </list>
/// Revisions are those whose names give a step (<see cref="RevisionName"/>: OLMo's <c>step&lt;N&gt;-tokens&lt;M&gt;B</c>,
/// Pythia's <c>step&lt;N&gt;</c>), and <c>main</c> (the released final model, which the
/// paper evaluates as its last checkpoint) when it holds a model, as <see cref="CheckpointStep.Main"/>; other refs
/// (pull-request refs, other branches) are left out.
/// </summary>
public static class CheckpointRevisions
{
    /// <summary>The paper's model.</summary>
    public const string RepoId = "allenai/OLMo-1B-hf";

    /// <summary>The revisions of <paramref name="repoId"/> under <paramref name="directory"/>, ordered by step. Throws
    /// when there are none (saying what was looked for) or when two revisions share a step.</summary>
    public static IReadOnlyList<CheckpointRevision> Find(string directory, string repoId = RepoId)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: checkpoint folder not found ({repoId})");
        string repoFolder = Path.Combine(directory, HubRepo.Model(repoId).FolderName);
        var revisions = HubCache.IsRepoFolder(directory) ? FromHubCache(directory, repoId)
            : Directory.Exists(repoFolder) ? FromHubCache(repoFolder, repoId)
            : FromFolder(directory, repoId);
        var clash = revisions.GroupBy(r => r.Step).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidDataException($"{directory}: step {clash.Key} has two revisions: {string.Join(" and ", clash.Select(r => $"{r.Name} ({r.Directory})"))}");
        return [.. revisions.OrderBy(r => r.Step)];
    }

    /// <summary>Revision folders side by side (each with config.json and weights).</summary>
    static List<CheckpointRevision> FromFolder(string directory, string repoId)
    {
        var revisions = new List<CheckpointRevision>();
        foreach (string dir in Directory.EnumerateDirectories(directory))
            if (Parse(Path.GetFileName(dir)) is { } parsed && (parsed.Step != CheckpointStep.Main || HoldsModel(dir)))
                revisions.Add(new CheckpointRevision(Path.GetFileName(dir), parsed.Step, parsed.Tokens, dir));
        if (revisions.Count == 0)
            throw new DirectoryNotFoundException(File.Exists(Path.Combine(directory, HfModelDirectory.ConfigFileName))
                ? $"{directory}: this is one model directory; point at the folder that holds the revision directories (named step<N>-tokens<M>B, step<N> or main)"
                : $"{directory}: no revision directories (named step<N>-tokens<M>B, step<N> or main) found, and no Hub cache folder {HubRepo.Model(repoId).FolderName}");
        return revisions;
    }

    /// <summary>The refs of the repository's cache folder that name pre-training steps, each resolved to its snapshot.</summary>
    static List<CheckpointRevision> FromHubCache(string repoFolder, string repoId)
    {
        var refs = HubCache.Refs(repoFolder);
        var revisions = new List<CheckpointRevision>();
        foreach (var (name, sha) in refs)
            if (Parse(name) is { } parsed && (name != CheckpointStep.MainName || HoldsModel(repoFolder, sha)))
                revisions.Add(new CheckpointRevision(name, parsed.Step, parsed.Tokens, HubCache.CheckedSnapshot(repoFolder, name, sha), sha));
        if (revisions.Count == 0)
            throw new DirectoryNotFoundException($"{repoFolder}: no refs named step<N>-tokens<M>B, step<N> or main in the Hub cache (refs found: "
                + $"{(refs.Count == 0 ? "none" : string.Join(", ", refs.Keys))}); download them with huggingface-cli download {repoId} --revision <name>");
        return revisions;
    }

    /// <summary>
    /// Whether a <c>main</c> folder or snapshot holds a model (config.json and weights). Unlike a step's, a <c>main</c>
    /// ref is often there without one: fetching any single file of the repository (a config, the revision list) writes
    /// <c>refs/main</c>. Such a ref is not a checkpoint; a step ref to a missing snapshot stays an error.
    /// </summary>
    static bool HoldsModel(string repoFolder, string sha) => HoldsModel(Path.Combine(repoFolder, "snapshots", sha));

    static bool HoldsModel(string directory) =>
        File.Exists(Path.Combine(directory, HfModelDirectory.ConfigFileName))
        && new[] { HfModelDirectory.WeightsFileName, HfModelDirectory.IndexFileName, HfModelDirectory.TorchWeightsFileName, HfModelDirectory.TorchIndexFileName }
            .Any(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>A revision name's step and tokens (<see cref="Hub.RevisionName.Parse"/>), or <c>main</c> (neither in its
    /// name); null for anything else.</summary>
    static (long Step, long? Tokens)? Parse(string name) =>
        name == CheckpointStep.MainName ? (CheckpointStep.Main, null) : RevisionName.Parse(name);
}
