namespace AmuroChar.Hub;

/// <summary>Reading a cache someone else wrote (huggingface_hub, or `amurochar hub download`): which revisions it holds
/// and whether their snapshots are whole. Nothing here writes.</summary>
public sealed partial class HubCache
{
    /// <summary>Whether <paramref name="directory"/> looks like one repository's cache folder (refs/ and snapshots/).</summary>
    public static bool IsRepoFolder(string directory) =>
        Directory.Exists(Path.Combine(directory, "refs")) && Directory.Exists(Path.Combine(directory, "snapshots"));

    /// <summary>Every ref of a repository folder (revision name → commit sha), e.g. "main" and "step1000-tokens4B";
    /// a ref such as "refs/pr/1" is named with its slashes.</summary>
    public static IReadOnlyDictionary<string, string> Refs(string repoFolder)
    {
        string refs = Path.Combine(repoFolder, "refs");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(refs)) return result;
        foreach (string file in Directory.EnumerateFiles(refs, "*", SearchOption.AllDirectories))
        {
            string sha = File.ReadAllText(file).Trim();
            if (sha.Length == 0 || !sha.All(Uri.IsHexDigit))
                throw new InvalidDataException($"{file}: a Hub cache ref should hold a commit sha (hex), found \"{(sha.Length > 60 ? sha[..60] + "…" : sha)}\"");
            result[Path.GetRelativePath(refs, file).Replace(Path.DirectorySeparatorChar, '/')] = sha;
        }
        return result;
    }

    /// <summary>The snapshot folder a revision resolves to, checked: it exists, and none of its files is a link to a
    /// missing blob (an interrupted download or a pruned cache).</summary>
    public static string CheckedSnapshot(string repoFolder, string revision, string sha)
    {
        string snapshot = Path.Combine(repoFolder, "snapshots", sha);
        string refFile = Path.Combine(repoFolder, "refs", revision);
        if (!Directory.Exists(snapshot))
            throw new DirectoryNotFoundException($"{refFile}: revision '{revision}' points to commit {sha}, but {snapshot} does not exist");
        // File.Exists is true for a dangling link itself, so the link's final target is what is checked.
        foreach (string file in Directory.EnumerateFiles(snapshot, "*", SearchOption.AllDirectories))
            if (new FileInfo(file).LinkTarget is { } target && new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
                throw new FileNotFoundException($"{file}: revision '{revision}' links to {target}, which is missing (an interrupted download or a pruned cache?); download the revision again", file);
        return snapshot;
    }
}
