using System.Runtime.InteropServices;

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
        // The file is written beside the target and renamed onto it, which would replace a device, a FIFO or a link
        // itself (as root, --out /dev/stdout replaced the machine's /dev/stdout link): refuse anything not a plain file.
        if (NotRegular(full) is { } kind)
            throw new ArgumentException($"{label}: is {kind}, not a regular file; give the path of a regular file (it is written whole, then renamed into place)");
        Folder(Path.GetDirectoryName(full)!, label);
        return full;
    }

    /// <summary>What an existing path is when it is not a regular file ("a symbolic link", "a FIFO", …), else null.</summary>
    internal static string? NotRegular(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return "a symbolic link";
        if (!info.Exists || !OperatingSystem.IsLinux()) return null;
        // statx's layout is the same on every Linux architecture: stx_mode is a u16 at offset 28.
        Span<byte> buffer = stackalloc byte[256];
        if (StatX(-100 /* AT_FDCWD */, path, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x1 /* STATX_TYPE */, ref MemoryMarshal.GetReference(buffer)) != 0) return null;
        return (BitConverter.ToUInt16(buffer[28..30]) & 0xF000) switch
        {
            0x8000 => null,
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int StatX(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);

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
