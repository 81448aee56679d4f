using System.Security.Cryptography;
using System.Text;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>
/// Lays a model directory out as huggingface_hub's cache does after <c>hf_hub_download</c>/<c>snapshot_download</c>:
/// <c>models--owner--name/blobs/&lt;hash&gt;</c> (sha256 of the content for LFS files such as *.safetensors, the git
/// blob sha1 for small files), <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> as relative symbolic links
/// <c>../../blobs/&lt;hash&gt;</c>, and <c>refs/&lt;revision&gt;</c> holding the commit sha without a newline.
/// </summary>
internal static class HubCacheLayout
{
    public static string RepoFolder(string cacheRoot, string repoId) => Path.Combine(cacheRoot, "models--" + repoId.Replace("/", "--"));

    /// <summary>Writes <paramref name="sourceDirectory"/>'s files as <paramref name="revision"/>; returns the snapshot folder.</summary>
    public static string Write(string cacheRoot, string repoId, string revision, string sourceDirectory)
    {
        string repo = RepoFolder(cacheRoot, repoId);
        string commit = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(repoId + "@" + revision)));
        string snapshot = Path.Combine(repo, "snapshots", commit);
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        Directory.CreateDirectory(snapshot);
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        foreach (string file in Directory.EnumerateFiles(sourceDirectory))
        {
            byte[] content = File.ReadAllBytes(file);
            string blob = BlobName(Path.GetFileName(file), content);
            string blobPath = Path.Combine(repo, "blobs", blob);
            if (!File.Exists(blobPath)) File.WriteAllBytes(blobPath, content);
            File.CreateSymbolicLink(Path.Combine(snapshot, Path.GetFileName(file)), Path.Combine("..", "..", "blobs", blob));
        }
        File.WriteAllText(Path.Combine(repo, "refs", revision), commit);
        return snapshot;
    }

    /// <summary>Git LFS files are named by their sha256; the rest by git's blob sha1 ("blob &lt;size&gt;\0" + content).</summary>
    static string BlobName(string fileName, byte[] content) =>
        fileName.EndsWith(".safetensors", StringComparison.Ordinal) || fileName.EndsWith(".bin", StringComparison.Ordinal)
            ? Convert.ToHexStringLower(SHA256.HashData(content))
            : Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
}
