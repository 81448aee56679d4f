namespace AmuroChar.Cli.Commands;

/// <summary>
/// Checks where a command will write before it does any work, so a typo in --out or a read-only disk fails in a
/// second, not after a long computation. Every error names the path.
/// </summary>
static class OutputPaths
{
    /// <summary>Creates the folder if needed and proves it writable by creating and deleting a probe file.</summary>
    public static string RequireWritableFolder(string path, string option) => Folder(path, $"{option} {path}");

    /// <summary>A file to be written: not a folder, in a folder that can be written.</summary>
    public static string RequireWritableFile(string path, string option)
    {
        string full = Path.GetFullPath(path);
        string label = $"{option} {path}";
        if (Directory.Exists(full)) throw new IOException($"{label}: is a folder; give a file name");
        Folder(Path.GetDirectoryName(full)!, label);
        return full;
    }

    static string Folder(string path, string label)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new IOException($"{label}: {full} is a file, not a folder");
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".amurochar-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{label}: cannot write to the folder {full} ({e.Message})", e);
        }
        return full;
    }

    /// <summary>At least <paramref name="bytes"/> free on the file system holding <paramref name="folder"/>.</summary>
    public static void RequireFreeSpace(string folder, long bytes, string what, string purpose)
    {
        long free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        if (free < bytes)
            throw new IOException($"{what} {folder}: {free / 1048576.0:N1} MiB free, {purpose} needs about {bytes / 1048576.0:N1} MiB");
    }
}
