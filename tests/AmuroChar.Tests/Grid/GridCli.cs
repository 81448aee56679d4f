using System.Diagnostics;
using AmuroChar.Model;
using Xunit;

namespace AmuroChar.Tests.Grid;

/// <summary>Runs the built `amurochar` in a fresh process, from the environment a user's shell would give it.</summary>
internal static class GridCli
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "amurochar.dll");

    public static (int Code, string Output, string Error) Run(IEnumerable<(string Name, string? Value)> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, _) in NumericPath.Caps) start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name); else start.Environment[name] = value;
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    public static string RunOk(params string[] args) => RunOk([], args);

    public static string RunOk(IEnumerable<(string Name, string? Value)> environment, params string[] args)
    {
        var (code, output, error) = Run(environment, args);
        Assert.True(code == 0, $"amurochar {string.Join(' ', args)} exited {code}:\n{output}\n{error}");
        return output;
    }
}
