using System.Runtime.InteropServices;

namespace AmuroChar.Cli;

/// <summary>Whether the process was started with its standard output closed (not redirected: closed).</summary>
static class StandardStreams
{
    public static bool StdoutClosed()
    {
        if (OperatingSystem.IsWindows()) return false;
        // Closed by the shell, descriptor 1 is taken by the first file the runtime opens, read-only: so "closed" is
        // "not open" (EBADF) or "open but not for writing" (fcntl F_GETFL's access mode is O_RDONLY).
        int flags = Fcntl(1, 3 /* F_GETFL */);
        return flags == -1 ? Marshal.GetLastPInvokeError() == 9 /* EBADF */ : (flags & 3 /* O_ACCMODE */) == 0 /* O_RDONLY */;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    static extern int Fcntl(int fd, int command);
}
