using System.Text.RegularExpressions;

namespace AmuroChar.Hub;

/// <summary>
/// The Hugging Face Hub cache, laid out exactly as huggingface_hub lays it out, so files downloaded here and by
/// Python share one cache:
/// <code>
/// {root}/models--org--name/blobs/{etag}                   file content, named by the Hub's ETag (sha256 for LFS
///                                                         files, git blob sha1 for small ones)
/// {root}/models--org--name/snapshots/{commit}/{path}      relative symlink to ../../blobs/{etag}
/// {root}/models--org--name/refs/{revision}                the commit sha the revision pointed to (no newline)
/// </code>
/// The root is <c>$HF_HUB_CACHE</c>, else <c>$HUGGINGFACE_HUB_CACHE</c> (legacy), else <c>$HF_HOME/hub</c>, else
/// <c>$XDG_CACHE_HOME/huggingface/hub</c>, else <c>~/.cache/huggingface/hub</c> (huggingface_hub's constants.py).
/// </summary>
public sealed partial class HubCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public static string DefaultRoot(Func<string, string?> env)
    {
        if (NonEmpty(env("HF_HUB_CACHE")) is { } hub) return Expand(hub);
        if (NonEmpty(env("HUGGINGFACE_HUB_CACHE")) is { } legacy) return Expand(legacy);
        return Path.Combine(HfHome(env), "hub");
    }

    /// <summary><c>$HF_HOME</c>, else <c>$XDG_CACHE_HOME/huggingface</c>, else <c>~/.cache/huggingface</c>.</summary>
    public static string HfHome(Func<string, string?> env)
    {
        if (NonEmpty(env("HF_HOME")) is { } home) return Expand(home);
        string cache = NonEmpty(env("XDG_CACHE_HOME")) is { } xdg ? Expand(xdg)
            : Path.Combine(UserHome.Folder("HF_HUB_CACHE, HF_HOME or XDG_CACHE_HOME"), ".cache");
        return Path.Combine(cache, "huggingface");
    }

    public string RepoFolder(HubRepo repo) => Path.Combine(Root, repo.FolderName);
    public string BlobPath(HubRepo repo, string etag) => Path.Combine(RepoFolder(repo), "blobs", CheckEtag(etag));
    public string SnapshotFolder(HubRepo repo, string commit) => Path.Combine(RepoFolder(repo), "snapshots", CheckCommit(commit));
    public string SnapshotPath(HubRepo repo, string commit, string path) => Path.Combine(SnapshotFolder(repo, commit), RelativePath(path));

    /// <summary>A revision may contain slashes (<c>refs/convert/parquet</c>); huggingface_hub nests the ref file.</summary>
    public string RefPath(HubRepo repo, string revision) => Path.Combine(RepoFolder(repo), "refs", RelativePath(revision));

    public string? ReadRef(HubRepo repo, string revision)
    {
        string path = RefPath(repo, revision);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public void WriteRef(HubRepo repo, string revision, string commit)
    {
        if (revision == commit || ReadRef(repo, revision) == commit) return;
        AtomicFile.WriteAllText(RefPath(repo, revision), CheckCommit(commit));
    }

    /// <summary>The snapshot folder of a revision (branch, tag or commit sha) if it is in the cache, else null.</summary>
    public string? FindSnapshot(HubRepo repo, string revision)
    {
        string? commit = CommitPattern().IsMatch(revision) ? revision : ReadRef(repo, revision);
        if (commit is null) return null;
        string folder = SnapshotFolder(repo, commit);
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>
    /// Points <c>snapshots/{commit}/{path}</c> at the blob with a relative symlink (the cache stays valid when moved).
    /// The link is made under a temporary name and renamed into place, so a reader never sees a half-made one.
    /// Where symlinks are not allowed (Windows without developer mode) the blob is copied, as huggingface_hub does.
    /// </summary>
    public void Link(HubRepo repo, string commit, string path, string etag)
    {
        string pointer = SnapshotPath(repo, commit, path);
        string blob = BlobPath(repo, etag);
        string target = Path.GetRelativePath(Path.GetDirectoryName(pointer)!, blob);
        if (new FileInfo(pointer).LinkTarget == target) return;
        Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
        string temp = $"{pointer}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.CreateSymbolicLink(temp, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Copy(blob, temp);
        }
        File.Move(temp, pointer, overwrite: true);
    }

    /// <summary>A repository path from the Hub, as a relative path that stays inside its snapshot folder.</summary>
    public static string RelativePath(string path)
    {
        var parts = path.Split('/');
        if (path.Length == 0 || path.Contains('\\') || parts.Any(p => p is "" or "." or ".."))
            throw new InvalidDataException($"unsafe path from the Hub: '{path}' (absolute, empty segment or '..')");
        return Path.Combine(parts);
    }

    static string CheckEtag(string etag) =>
        EtagPattern().IsMatch(etag) ? etag : throw new InvalidDataException($"unexpected ETag from the Hub: '{etag}' (not usable as a file name)");

    static string CheckCommit(string commit) =>
        CommitPattern().IsMatch(commit) ? commit : throw new InvalidDataException($"unexpected commit sha from the Hub: '{commit}' (expected 40 hex digits)");

    static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    static string Expand(string path) =>
        path.StartsWith('~') ? UserHome.Folder($"a path without '~' ({path})") + path[1..] : path;

    [GeneratedRegex("^[0-9a-f]{40}$")]
    internal static partial Regex CommitPattern();

    // The Hub's ETags are hex digests; anything file-name safe is accepted, as huggingface_hub accepts any ETag.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex EtagPattern();
}
