using System.Diagnostics;
using Xunit;

namespace AmuroChar.Tests.Shared;

/// <summary>
/// A small tmpfs mounted for one test, which can be made read-only or filled: the real EROFS and ENOSPC the result
/// store must report. Tests run as root, where chmod does not stop writes, so a mount is the honest way; where the
/// machine does not allow mounting (no CAP_SYS_ADMIN, not Linux) the test is skipped with that reason.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    public string Path { get; }

    SmallFileSystem(string path) => Path = path;

    /// <summary>Mounts a tmpfs of <paramref name="sizeKiB"/>, or skips the test saying why it can't.</summary>
    public static SmallFileSystem MountOrSkip(int sizeKiB)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "needs Linux to mount a tmpfs (read-only and full-disk cases)");
        string path = Directory.CreateTempSubdirectory("amurochar-fs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeKiB}k", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Skip($"this machine does not allow mounting a tmpfs (mount: {error.Trim()}); the read-only and full-disk cases need one");
        }
        return new SmallFileSystem(path);
    }

    /// <summary>Remounts read-only: every write now fails with EROFS, for root too.</summary>
    public void MakeReadOnly()
    {
        var (code, error) = Run("mount", "-o", "remount,ro", Path);
        if (code != 0) throw new InvalidOperationException($"remount ro failed: {error}");
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }
}
