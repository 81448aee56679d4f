using System.Diagnostics;
using System.Text;

namespace AmuroChar.Tests.Faults;

/// <summary>
/// The real <c>amurochar</c> CLI (built into this test project's output by its project reference) run as a child
/// process, so a test can kill it with SIGKILL at any point, as a user or the OOM killer would.
/// </summary>
internal sealed class CliChild : IDisposable
{
    readonly Process process;
    readonly StringBuilder stdout = new(), stderr = new();

    public CliChild(string workingDirectory, params string[] args)
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "amurochar.exe" : "amurochar");
        var start = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet");
        if (!File.Exists(apphost)) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amurochar.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.WorkingDirectory = workingDirectory;   // outside the repository: no default store there
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment.Remove("AMUROCHAR_STORE");
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (stdout) return stdout.ToString(); } }
    public string Stderr { get { lock (stderr) return stderr.ToString(); } }

    /// <summary>Runs to the end (or <paramref name="timeout"/>, then kills it) and returns the exit code.</summary>
    public int Wait(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"amurochar {string.Join(' ', process.StartInfo.ArgumentList)} still running after {timeout}; stderr:\n{Stderr}");
        }
        process.WaitForExit();   // drains the output readers
        return process.ExitCode;
    }

    /// <summary>SIGKILL after <paramref name="delay"/>; true if it was still running (a real kill point).</summary>
    public bool KillAfter(TimeSpan delay)
    {
        if (process.WaitForExit(delay)) { process.WaitForExit(); return false; }
        Kill();
        return true;
    }

    void Kill()
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.WaitForExit();
    }

    public static (int Code, string Stdout, string Stderr) Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var child = new CliChild(workingDirectory, args);
        int code = child.Wait(timeout);
        return (code, child.Stdout, child.Stderr);
    }

    public void Dispose()
    {
        if (!process.HasExited) Kill();
        process.Dispose();
    }
}
