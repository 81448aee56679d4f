using System.Runtime.InteropServices;

namespace AmuroChar.Cli;

/// <summary>Whether the process was started with its standard output closed (not redirected: closed).</summary>
static class StandardStreams
{
    public static bool StdoutClosed()
    {
        if (OperatingSystem.IsWindows()) return false;
        // fcntl(F_GETFD) fails with EBADF only for a descriptor that is not open.
        return Fcntl(1, 1 /* F_GETFD */) == -1 && Marshal.GetLastPInvokeError() == 9 /* EBADF */;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    static extern int Fcntl(int fd, int command);
}
