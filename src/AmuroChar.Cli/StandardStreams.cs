using System.Runtime.InteropServices;
using System.Text;

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

    /// <summary>Standard output whose write failures say where they happened: on a full disk (`> /dev/full`, or a
    /// redirect to a full file system) .NET's "No space left on device" named no file.</summary>
    public static TextWriter NamedStdout(TextWriter stdout) => TextWriter.Synchronized(new Named(stdout, "standard output"));

    sealed class Named(TextWriter inner, string name) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;
        public override IFormatProvider FormatProvider => inner.FormatProvider;
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string NewLine { get => inner.NewLine; set => inner.NewLine = value; }

        public override void Write(char value) => Do(() => inner.Write(value));
        public override void Write(char[] buffer, int index, int count) => Do(() => inner.Write(buffer, index, count));
        public override void Write(string? value) => Do(() => inner.Write(value));
        public override void WriteLine(string? value) => Do(() => inner.WriteLine(value));
        public override void Flush() => Do(inner.Flush);

        void Do(Action write)
        {
            try { write(); }
            catch (IOException e) { throw new IOException($"can't write to {name}: {e.Message}", e); }
        }
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    static extern int Fcntl(int fd, int command);
}
