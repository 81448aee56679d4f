using System.Security.Cryptography;
using System.Text;
using AmuroChar.Checkpoints;

namespace AmuroChar.Study;

/// <summary>
/// The paper scale's inputs named by their bytes, not by where they lie: moving the data folder or the checkpoints
/// keeps every stored result; changing one byte of a file the study reads makes new keys.
/// <list type="bullet">
/// <item>Data: the SHA-256 of every file of every split <see cref="PaperData"/> reads (a save_to_disk folder: each of
/// its files), with the file's name relative to the data folder. Hashed in full on each run, once per process: SHA-256
/// runs at ~1.5 GB/s per core (measured, OpenSSL with SHA-NI), so the paper's data costs seconds.</item>
/// <item>Checkpoints: each revision's name (it gives the step) and every file in its folder. Weights in the Hub cache are
/// links to blobs named by the SHA-256 of their content (Git LFS's oid, which the downloader checks before naming the
/// blob), so that name is taken without reading 4.7 GB; a plain folder's safetensors are hashed in full (~3 s per
/// OLMo-1B revision), giving the same key as the Hub cache for the same weights. Headers and sizes would not do:
/// every revision of one model has the same header and size. The small JSON files are always hashed.</item>
/// </list>
/// </summary>
public static class ContentKeys
{
    /// <summary>One line per file read: split stem, file, SHA-256; then the SHA-256 of those lines.</summary>
    public static string Data(string dataDirectory)
    {
        var lines = new StringBuilder();
        foreach (var split in PaperData.Files.GroupBy(f => PaperData.FileName(f.Name, f.Split)).Select(g => g.First()))
        {
            string stem = PaperData.FileName(split.Name, split.Split);
            string? path;
            try { path = PaperData.Locate(dataDirectory, split.Name, split.Split); }
            catch (InvalidDataException) { lines.Append(stem).Append("\tambiguous\n"); continue; }   // fails when read, by name
            if (path is null) continue;
            foreach (string file in FilesOf(path))
                lines.Append(stem).Append('\t').Append(Relative(dataDirectory, file)).Append('\t').Append(Sha256(file)).Append('\n');
        }
        return Sha256Text(lines.ToString());
    }

    /// <summary>The revision's name and every file of its folder, each by its SHA-256.</summary>
    public static string Revision(CheckpointRevision revision)
    {
        var lines = new StringBuilder(revision.Name).Append('\n');
        foreach (string file in FilesOf(revision.Directory))
            lines.Append(Relative(revision.Directory, file)).Append('\t').Append(WeightsBlobName(file) ?? Sha256(file)).Append('\n');
        return Sha256Text(lines.ToString());
    }

    /// <summary>A Hub cache link's blob name when it is a SHA-256 (64 hex digits: an LFS file), else null.</summary>
    static string? WeightsBlobName(string file)
    {
        if (!(file.EndsWith(".safetensors", StringComparison.Ordinal) || file.EndsWith(".bin", StringComparison.Ordinal))
            || new FileInfo(file).LinkTarget is not { } target) return null;
        string blob = Path.GetFileName(target);
        return blob.Length == 64 && blob.All(Uri.IsHexDigit) ? blob.ToLowerInvariant() : null;
    }

    static IEnumerable<string> FilesOf(string path) =>
        File.Exists(path) ? [path] : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');

    static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
