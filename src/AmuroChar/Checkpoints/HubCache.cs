namespace AmuroChar.Checkpoints;

/// <summary>
/// The Hugging Face Hub cache as <c>huggingface_hub</c> writes it: <c>&lt;cache&gt;/models--&lt;owner&gt;--&lt;name&gt;/</c>
/// with <c>refs/&lt;revision&gt;</c> (a file holding the commit sha), <c>snapshots/&lt;sha&gt;/&lt;file&gt;</c> (symbolic
/// links into <c>../../blobs/</c>, or copies where links aren't available) and <c>blobs/</c>. Read only: nothing here
/// downloads or writes.
/// </summary>
public static class HubCache
{
    /// <summary>Where huggingface_hub puts its cache: <c>HF_HUB_CACHE</c>, else the legacy <c>HUGGINGFACE_HUB_CACHE</c>,
    /// else <c>$HF_HOME/hub</c>, else <c>$XDG_CACHE_HOME/huggingface/hub</c>, else <c>~/.cache/huggingface/hub</c>.</summary>
    public static string Root(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        static string? Set(string? v) => string.IsNullOrWhiteSpace(v) ? null : ExpandHome(v);
        if (Set(getVariable("HF_HUB_CACHE")) is { } hub) return hub;
        if (Set(getVariable("HUGGINGFACE_HUB_CACHE")) is { } legacy) return legacy;
        if (Set(getVariable("HF_HOME")) is { } home) return Path.Combine(home, "hub");
        string cache = Set(getVariable("XDG_CACHE_HOME")) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "huggingface", "hub");
    }

    /// <summary>The cache folder of a model repository: <c>models--allenai--OLMo-1B-hf</c> for "allenai/OLMo-1B-hf".</summary>
    public static string RepoFolderName(string repoId) => "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);

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
    public static string Snapshot(string repoFolder, string revision, string sha)
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

    static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;
}
