using System.Diagnostics;
using AmuroChar.Study;

namespace AmuroChar.Tests.Shared;

/// <summary>The built <c>amurochar</c> as a user runs it at the paper scale: a real process, stdout and stderr
/// redirected (so output is the plain, non-interactive kind), with the paper-scale and Hub variables of this test
/// process cleared first, so only what the test passes in <paramref name="env"/> is seen.</summary>
static class PaperCli
{
    public static (int Code, string Out, string Err) Run(Dictionary<string, string?> env, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amurochar.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string v in new[] { PaperInputs.OlmoVariable, PaperData.DataVariable, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "AMUROCHAR_STORE" })
            start.Environment.Remove(v);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
