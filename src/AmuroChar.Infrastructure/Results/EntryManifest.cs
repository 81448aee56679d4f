using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AmuroChar.Results;

/// <summary>
/// The list of files of a directory entry with their sizes and hashes, written before the completion marker, so a
/// reader can tell a complete entry from a truncated, edited or half-copied one.
/// </summary>
/// <remarks>
/// Hashing: files up to <c>fullHashLimit</c> bytes get a SHA-256 of their whole content ("full"). Bigger files (paper-
/// scale checkpoints are gigabytes, and entries are verified on every read) get a SHA-256 of their first and last MiB
/// ("head+tail"): together with the exact size it catches truncation, a partial copy and a file swapped for another,
/// but not a flipped byte in the middle.
/// </remarks>
internal static class EntryManifest
{
    public const string FileName = "manifest.json";
    public const string KeyFileName = "key.json";
    public const string MarkerFileName = ".complete";
    public const int Format = 1;
    const int Window = 1 << 20;
    const string Full = "full", HeadTail = "head+tail";

    internal sealed record ManifestDocument(
        [property: JsonPropertyName("format")] int Format,
        [property: JsonPropertyName("files")] List<ManifestFile> Files);

    internal sealed record ManifestFile(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("hashed")] string Hashed,
        [property: JsonPropertyName("sha256")] string Sha256);

    static readonly JsonSerializerOptions Json = new(CanonicalJson.Indented)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Hashes every file under <paramref name="dir"/> (except the manifest and marker) and flushes it to disk.</summary>
    public static string Build(string dir, long fullHashLimit)
    {
        var files = new List<ManifestFile>();
        foreach (string rel in ContentFiles(dir))
        {
            string path = Path.Combine(dir, rel);
            FlushToDisk(path);   // the entry is renamed into place next; its content must not be lost to a crash
            long size = new FileInfo(path).Length;
            string mode = size <= fullHashLimit ? Full : HeadTail;
            files.Add(new ManifestFile(rel, size, mode, HashFile(path, mode)));
        }
        return JsonSerializer.Serialize(new ManifestDocument(Format, files), Json);
    }

    /// <summary>Null when the files on disk match the manifest, else why not ("truncated model.safetensors").</summary>
    public static string? Verify(string dir, string manifestJson, bool hashes)
    {
        ManifestDocument? manifest;
        try { manifest = JsonSerializer.Deserialize<ManifestDocument>(manifestJson, Json); }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        { return $"unreadable manifest ({e.Message})"; }
        if (manifest is null || manifest.Format != Format) return $"unreadable manifest (format {manifest?.Format})";

        var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (string rel in ContentFiles(dir))
            if (!listed.Contains(rel)) return $"unexpected file {rel}";
        foreach (var file in manifest.Files)
        {
            if (Path.IsPathRooted(file.Path) || file.Path.Split('/').Contains("..")) return $"bad path in manifest: {file.Path}";
            string path = Path.Combine(dir, file.Path);
            if (!File.Exists(path)) return $"missing {file.Path}";
            long size = new FileInfo(path).Length;
            if (size < file.Size) return $"truncated {file.Path} ({size} of {file.Size} bytes)";
            if (size > file.Size) return $"wrong size of {file.Path} ({size}, manifest says {file.Size} bytes)";
            if (hashes && (file.Hashed is not (Full or HeadTail) || HashFile(path, file.Hashed) != file.Sha256))
                return $"content of {file.Path} differs from its manifest hash";
        }
        return null;
    }

    /// <summary>Relative paths ('/'-separated, ordinal order) of all files but the manifest and the marker.</summary>
    static IEnumerable<string> ContentFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(rel => rel is not (FileName or MarkerFileName))
            .Order(StringComparer.Ordinal);

    static string HashFile(string path, string mode)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (mode == Full || stream.Length <= 2L * Window) return Convert.ToHexStringLower(SHA256.HashData(stream));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[Window];
        stream.ReadExactly(buffer);
        sha.AppendData(buffer);
        stream.Seek(-Window, SeekOrigin.End);
        stream.ReadExactly(buffer);
        sha.AppendData(buffer);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    static void FlushToDisk(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            stream.Flush(flushToDisk: true);
        }
        catch (UnauthorizedAccessException) { }   // a read-only file the producer copied in: nothing we can flush
    }
}
